/**
 * Hardened edges' coded errors (issue 17, docs/api.md#text and #date-windows): free text from outside — an HTTP
 * field, a feed's string or field name — that holds what cannot be shown or stored faithfully; dates outside
 * their field's plausible window; a CSV header naming a column twice. Part of the one registry (registry.ts).
 * Pure data.
 */
export const INPUT_ERRORS = {
  YMT_ERR_TEXT_CONTROL: {
    status: 400,
    message: '文本含有控制字符（单行字段也不能换行）',
    messageEn: 'The text holds a control character (or a line break in a one-line field)',
  },
  YMT_ERR_TEXT_INVISIBLE: {
    status: 400,
    message: '文本含有不可见的格式字符（如方向控制符、零宽字符）',
    messageEn: 'The text holds an invisible format character (a direction override, a zero-width character…)',
  },
  YMT_ERR_TEXT_ENCODING: {
    status: 400,
    message: '文本不是有效的 Unicode（孤立代理项或非字符）',
    messageEn: 'The text is not valid Unicode (a lone surrogate or a noncharacter)',
  },
  YMT_ERR_TEXT_TOO_LONG: {
    status: 400,
    message: '文本超过该字段的长度上限',
    messageEn: "The text is longer than the field's limit",
  },
  YMT_ERR_DATE_IMPLAUSIBLE: {
    status: 400,
    message: '日期超出该字段的合理范围',
    messageEn: 'The date is outside the plausible window of its field',
  },
  YMT_ERR_FEED_DUPLICATE_HEADER: {
    status: 400,
    message: 'CSV 表头中有重复的列名',
    messageEn: 'The CSV header names a column twice',
  },
} as const;
