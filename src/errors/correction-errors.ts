/**
 * Corrections' coded errors (我要纠错, docs/corrections.md): a holder disputing evidence, its owner deciding, the
 * records corrected, attachments — part of the one registry (registry.ts). Pure data.
 */
export const CORRECTION_ERRORS = {
  YMT_ERR_CORRECTION_EVIDENCE: {
    status: 400,
    message: '只能对您健康信息中显示的依据申请纠错',
    messageEn: 'Only evidence shown in your health information can be disputed',
  },
  YMT_ERR_CORRECTION_NOT_DISPUTABLE: {
    status: 409,
    message: '该依据不能申请纠错：本人申报的信息请直接修改',
    messageEn: 'This evidence cannot be disputed: change your own declaration instead',
  },
  YMT_ERR_TOO_MANY_CORRECTIONS: {
    status: 429,
    message: '您未办结的纠错申请过多，请等待处理后再提交',
    messageEn: 'You have too many open corrections: wait for them to be dealt with',
  },
  YMT_ERR_CORRECTION_NOT_FOUND: {
    status: 404,
    message: '纠错申请不存在',
    messageEn: 'No such correction',
  },
  YMT_ERR_CORRECTION_STATE: {
    status: 409,
    message: '纠错申请当前状态下不能进行此操作',
    messageEn: 'The correction is not in a state that allows this',
  },
  YMT_ERR_CORRECTION_REOPENED: {
    status: 409,
    message: '纠错申请只能重新提交一次',
    messageEn: 'A correction can be reopened once only',
  },
  YMT_ERR_ATTACHMENT_TYPE: {
    status: 415,
    message: '附件只能是 PDF、JPEG 或 PNG 文件',
    messageEn: 'An attachment must be a PDF, JPEG or PNG file',
  },
  YMT_ERR_ATTACHMENT_TOO_LARGE: {
    status: 413,
    message: '附件过大',
    messageEn: 'The attachment is too large',
  },
  YMT_ERR_TOO_MANY_ATTACHMENTS: {
    status: 409,
    message: '附件数量已达上限',
    messageEn: 'The correction already has as many attachments as it may',
  },
  YMT_ERR_RECORD_NOT_FOUND: {
    status: 404,
    message: '该记录不存在',
    messageEn: 'No such record',
  },
  YMT_ERR_RECORD_ALREADY_CORRECTED: {
    status: 409,
    message: '该记录已经更正',
    messageEn: 'This record has already been corrected',
  },
  YMT_ERR_AMENDMENT_INVALID: {
    status: 400,
    message: '更正后的记录不符合数据规范',
    messageEn: 'The amended record does not meet its feed’s contract',
  },
  YMT_ERR_CODE_WITHDRAWN: {
    status: 400,
    message: '该健康码因信息更正已作废，请重新申领',
    messageEn: 'This code was withdrawn after a correction: apply for a new one',
  },
} as const;
