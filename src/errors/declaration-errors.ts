/**
 * The health declaration's coded errors (its fields, the once-a-day rule, an inbound traveller's entry) — part of
 * the one registry (registry.ts). Pure data.
 */
export const DECLARATION_ERRORS = {
  YMT_ERR_REGION_UNKNOWN: {
    status: 400,
    message: '行政区划代码不存在',
    messageEn: 'Unknown administrative region code',
  },
  YMT_ERR_PROVINCE_UNKNOWN: {
    status: 404,
    message: '该代码不属于任何省级单位',
    messageEn: 'The code belongs to no provincial unit',
  },
  YMT_ERR_ENTRY_DATE_RANGE: {
    status: 400,
    message: '入境日期应在近30天内（最晚为明天）',
    messageEn: 'The date of entry must be within the last 30 days (at the latest tomorrow)',
  },
  YMT_ERR_COUNTRY_UNKNOWN: {
    status: 400,
    message: '国家或地区代码不存在（应为三位字母代码，如 GBR）',
    messageEn: 'Unknown country code: three letters of ISO 3166-1, e.g. GBR',
  },
  YMT_ERR_TEMPERATURE_RANGE: {
    status: 400,
    message: '体温应在 34.0 至 43.0 摄氏度之间',
    messageEn: 'The temperature must be between 34.0 and 43.0 °C',
  },
  YMT_ERR_DECLARATION_EXISTS: {
    status: 409,
    message: '您已填报过健康信息，如需变更请使用修改功能',
    messageEn: 'A declaration already exists: modify it instead',
  },
  YMT_ERR_DECLARATION_NOT_FOUND: {
    status: 404,
    message: '尚未填报健康信息',
    messageEn: 'No health declaration has been filled in yet',
  },
  YMT_ERR_DECLARATION_REQUIRED: {
    status: 409,
    message: '请先填报健康信息',
    messageEn: 'Fill in the health declaration first',
  },
  YMT_ERR_DECLARATION_DAILY_LIMIT: {
    status: 429,
    message: '健康信息每天只能修改一次，请明天再试',
    messageEn: 'The declaration can be modified once per day (Asia/Shanghai): try again tomorrow',
  },
  YMT_ERR_IMMUTABLE_FIELD: {
    status: 422,
    message: '身份证号码、姓名和手机号码不能修改',
    messageEn: 'The ID number, name and phone cannot be changed',
  },
} as const;
