/**
 * Registrars and paper codes (Q9): coded errors of a registrar recording a declaration for a person without a
 * phone and printing their paper code (docs/registrars.md) — part of the one registry (registry.ts). Pure data.
 */
export const REGISTRAR_ERRORS = {
  YMT_ERR_REGISTRAR_UNAUTHENTICATED: {
    status: 401,
    message: '请使用有效的登记员凭证（ymtr_…）',
    messageEn: "Use a valid registrar's credential (a ymtr_… token)",
  },
  YMT_ERR_REGISTRATION_REAL_NAME: {
    status: 422,
    message: '实名核验未通过，请核对证件信息与姓名',
    messageEn: 'The real-name check failed: check the document and the name',
  },
  YMT_ERR_REGISTRATION_NOT_FOUND: {
    status: 404,
    message: '未找到该登记记录',
    messageEn: 'No such registration of yours',
  },
  YMT_ERR_CODE_LIFETIME: {
    status: 400,
    message: '健康码有效期超出允许范围',
    messageEn: 'The code is valid for longer than a verifier accepts',
  },
} as const;
