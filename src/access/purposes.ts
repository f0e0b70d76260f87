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
} as const;

export type Purpose = keyof typeof PURPOSES;

export const isPurpose = (s: string): s is Purpose => Object.hasOwn(PURPOSES, s);

/** Who looked: a holder acting for a family member (the only kind recorded so far). */
export const ACTOR_KINDS = {
  proxy: { text: '家属代办', textEn: 'family member acting for you' },
} as const;

export type ActorKind = keyof typeof ACTOR_KINDS;
