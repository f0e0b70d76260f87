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
  'status.consent': {
    text: '凭您授权的凭证查询全国健康码状态',
    textEn: 'read your national code status with the consent token you gave',
  },
  'identity.verify': {
    text: '核验您的身份并向您的手机发送登录验证码',
    textEn: 'checked your identity and sent a sign-in code to your phone',
  },
  'signin.confirm': {
    text: '确认您登录其健康码，取得您的证件与全国状态',
    textEn: 'confirmed your sign-in to its health code, receiving your document and national status',
  },
  'correction.read': { text: '查看您的纠错申请', textEn: 'viewed your correction request' },
  'correction.attachment': {
    text: '查看您纠错申请的附件',
    textEn: 'viewed an attachment of your correction request',
  },
} as const;

export type Purpose = keyof typeof PURPOSES;

export const isPurpose = (s: string): s is Purpose => Object.hasOwn(PURPOSES, s);

/**
 * Who looked: a holder acting for a family member (docs/family.md), a registrar recording for the person
 * (docs/registrars.md), checkpoint staff looking the person up by document (docs/checkpoint-lookups.md), a
 * province's platform (its node, with the person's consent or at their sign-in), an operator or a department at
 * the console (a correction request and its attachments).
 */
export const ACTOR_KINDS = {
  proxy: { text: '家属代办', textEn: 'family member acting for you' },
  registrar: { text: '社区登记员', textEn: 'registrar recording for you' },
  checkpoint: { text: '查验点工作人员', textEn: 'checkpoint staff' },
  province: { text: '省级健康码平台', textEn: 'provincial health code platform' },
  operator: { text: '国家平台运营人员', textEn: 'national platform operator' },
  department: { text: '数据来源部门', textEn: 'data source department' },
} as const;

export type ActorKind = keyof typeof ACTOR_KINDS;
