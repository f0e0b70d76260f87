/**
 * Field staff (Q9): coded errors of registrars recording declarations and printing paper codes
 * (docs/registrars.md), and of checkpoint staff looking a person up by document (docs/checkpoint-lookups.md) —
 * part of the one registry (registry.ts). Pure data.
 */
export const STAFF_ERRORS = {
  YMT_ERR_STAFF_UNAUTHENTICATED: {
    status: 401,
    message: '请使用有效的工作人员凭证（登记员 ymtr_…，查验点工作人员 ymtc_…）',
    messageEn: "Use a valid staff credential (a registrar's ymtr_… token, checkpoint staff's ymtc_… token)",
  },
  YMT_ERR_STAFF_REAL_NAME: {
    status: 422,
    message: '实名核验未通过，请核对证件信息与姓名',
    messageEn: 'The real-name check failed: check the document and the name',
  },
  YMT_ERR_REGISTRATION_NOT_FOUND: {
    status: 404,
    message: '未找到该登记记录',
    messageEn: 'No such registration of yours',
  },
  YMT_ERR_LOOKUP_NOT_FOUND: {
    status: 404,
    message: '未找到该查询记录',
    messageEn: 'No such look-up of yours',
  },
  YMT_ERR_LOOKUP_DECIDED: {
    status: 409,
    message: '该查询已记录人工核验结果',
    messageEn: 'The manual check of this look-up is already recorded',
  },
  YMT_ERR_CODE_LIFETIME: {
    status: 400,
    message: '健康码有效期超出允许范围',
    messageEn: 'The code is valid for longer than a verifier accepts',
  },
} as const;
