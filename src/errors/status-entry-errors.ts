/**
 * Status entries' coded errors (operators create and end them at the console and on the command line:
 * src/status/status-entries.service.ts), part of the one registry (registry.ts). Pure data.
 */
export const STATUS_ENTRY_ERRORS = {
  YMT_ERR_HOLDER_UNKNOWN: {
    status: 404,
    message: '没有持有该证件的登记用户',
    messageEn: 'No holder is registered with this document',
  },
  YMT_ERR_STATUS_ENTRY_KIND: {
    status: 400,
    message: '不是可以录入的状态条目类型',
    messageEn: 'Not a kind of status entry an operator may create',
  },
  YMT_ERR_STATUS_ENTRY_UNTIL: {
    status: 400,
    message: '结束时间应为带时区的 ISO 8601 时间，且晚于现在',
    messageEn: 'The end must be an ISO 8601 time with a zone, later than now',
  },
  YMT_ERR_STATUS_ENTRY_NOT_FOUND: {
    status: 404,
    message: '状态条目不存在',
    messageEn: 'No such status entry',
  },
  YMT_ERR_STATUS_ENTRY_ENDED: {
    status: 409,
    message: '该状态条目已经结束',
    messageEn: 'This status entry has already ended',
  },
} as const;
