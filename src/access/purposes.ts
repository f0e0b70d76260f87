/**
 * Why someone other than the person looked at or changed their data: the purposes an access history entry names
 * (docs/family.md#access-history), each with its Chinese and English text. Pure data.
 */
export const PURPOSES = {
  'declaration.read': { text: '查看健康申报', textEn: 'viewed the health declaration' },
  'declaration.create': { text: '填报健康申报', textEn: 'filled in the health declaration' },
  'declaration.modify': { text: '修改健康申报', textEn: 'modified the health declaration' },
  'code.show': { text: '出示健康码', textEn: 'showed the health code' },
  'health.read': { text: '查看健康信息', textEn: 'viewed the health information' },
  'code.paper': { text: '打印纸质健康码', textEn: 'printed a paper health code' },
} as const;

export type Purpose = keyof typeof PURPOSES;

export const isPurpose = (s: string): s is Purpose => Object.hasOwn(PURPOSES, s);

/** Who looked: a holder acting for a family member, or a registrar recording for the person (docs/registrars.md). */
export const ACTOR_KINDS = {
  proxy: { text: '家属代办', textEn: 'family member acting for you' },
  registrar: { text: '社区登记员', textEn: 'registrar recording for you' },
} as const;

export type ActorKind = keyof typeof ACTOR_KINDS;
