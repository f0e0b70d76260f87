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
  'status.lookup': { text: '凭证件查询健康码状态', textEn: 'looked up your code status by your document' },
  'check.pass': { text: '人工核验：放行', textEn: 'manual check: let through' },
  'check.refuse': { text: '人工核验：未放行', textEn: 'manual check: not let through' },
} as const;

export type Purpose = keyof typeof PURPOSES;

export const isPurpose = (s: string): s is Purpose => Object.hasOwn(PURPOSES, s);

/**
 * Who looked: a holder acting for a family member (docs/family.md), a registrar recording for the person
 * (docs/registrars.md), checkpoint staff looking the person up by document (docs/checkpoint-lookups.md).
 */
export const ACTOR_KINDS = {
  proxy: { text: '家属代办', textEn: 'family member acting for you' },
  registrar: { text: '社区登记员', textEn: 'registrar recording for you' },
  checkpoint: { text: '查验点工作人员', textEn: 'checkpoint staff' },
} as const;

export type ActorKind = keyof typeof ACTOR_KINDS;
