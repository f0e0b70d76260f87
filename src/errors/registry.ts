/**
 * The one registry of coded errors. Every error the hub, the CLI or the verifier reports has a stable code,
 * an HTTP status (for the API) and a message in Chinese and English. `docs/errors.md` lists the same table;
 * `test/errors/registry.test.ts` keeps the two in sync.
 *
 * Pure data: the browser scanner bundles it together with the verifier.
 */
import { AVAILABILITY_ERRORS } from './availability-errors.ts';
import { CORRECTION_ERRORS } from './correction-errors.ts';
import { DECLARATION_ERRORS } from './declaration-errors.ts';
import { FAMILY_ERRORS } from './family-errors.ts';
import { NET_ERRORS } from './net-errors.ts';
import { INPUT_ERRORS } from './input-errors.ts';
import { STAFF_ERRORS } from './staff-errors.ts';
import { STATUS_ENTRY_ERRORS } from './status-entry-errors.ts';

export interface ErrorDefinition {
  readonly status: number;
  readonly message: string;
  readonly messageEn: string;
}

export const ERRORS = {
  // Generic
  YMT_ERR_VALIDATION: {
    status: 400,
    message: '输入内容有误，请检查后重试',
    messageEn: 'The input is not valid',
  },
  YMT_ERR_NOT_FOUND: {
    status: 404,
    message: '请求的资源不存在',
    messageEn: 'The requested resource does not exist',
  },
  YMT_ERR_INTERNAL: {
    status: 500,
    message: '系统内部错误，请稍后再试',
    messageEn: 'Internal error, please try again later',
  },
  YMT_ERR_PAYLOAD_TOO_LARGE: {
    status: 413,
    message: '提交的内容过大',
    messageEn: 'The request body is too large',
  },
  YMT_ERR_BUSY: {
    status: 503,
    message: '系统繁忙，当前查询人数过多，请稍后再试',
    messageEn: 'The system is busy: too many people are querying right now. Please try again shortly.',
  },
  ...AVAILABILITY_ERRORS,
  // Identity and sessions
  YMT_ERR_ID_NUMBER_FORMAT: {
    status: 400,
    message: '身份证号码格式不正确，应为18位',
    messageEn: 'The ID number must have 18 characters: 17 digits and a check digit or X',
  },
  YMT_ERR_ID_NUMBER_REGION: {
    status: 400,
    message: '身份证号码的地址码不正确',
    messageEn: 'The region code of the ID number is not valid',
  },
  YMT_ERR_ID_NUMBER_BIRTH_DATE: {
    status: 400,
    message: '身份证号码的出生日期不正确',
    messageEn: 'The birth date in the ID number is not a valid past date',
  },
  YMT_ERR_ID_NUMBER_CHECKSUM: {
    status: 400,
    message: '身份证号码校验位不正确',
    messageEn: 'The check character of the ID number is wrong',
  },
  YMT_ERR_PASSPORT_FORMAT: {
    status: 400,
    message: '护照号码格式不正确',
    messageEn: 'The passport number is not valid',
  },
  YMT_ERR_MRZ_FORMAT: {
    status: 400,
    message: '护照机读区格式不正确（应为两行，每行44个字符）',
    messageEn: "The passport's machine-readable zone is not two lines of 44 characters",
  },
  YMT_ERR_MRZ_CHECK_DIGIT: {
    status: 400,
    message: '护照机读区校验位不符，请核对',
    messageEn: "A check digit of the passport's machine-readable zone does not match: check it",
  },
  YMT_ERR_MRZ_MISMATCH: {
    status: 400,
    message: '护照机读区与填写的护照号码或国籍不一致',
    messageEn: 'The machine-readable zone names another passport number or nationality than the one typed',
  },
  YMT_ERR_NATIONALITY: {
    status: 400,
    message: '国籍代码不正确，应为 ISO 3166-1 三位字母代码',
    messageEn: 'The nationality must be an ISO 3166-1 alpha-3 code',
  },
  YMT_ERR_NAME_FORMAT: { status: 400, message: '姓名格式不正确', messageEn: 'The name is not valid' },
  YMT_ERR_PHONE_FORMAT: {
    status: 400,
    message: '手机号码格式不正确',
    messageEn: 'The phone number is not valid',
  },
  YMT_ERR_REAL_NAME_FAILED: {
    status: 401,
    message: '实名认证未通过，请核对证件信息与姓名',
    messageEn: 'Real-name authentication failed: check the document and the name',
  },
  YMT_ERR_FOREIGN_ORIGIN: {
    status: 403,
    message: '拒绝来自其他网站的请求',
    messageEn: "Refused: the request came from another site's page",
  },
  YMT_ERR_UNAUTHENTICATED: {
    status: 401,
    message: '请先进行实名认证登录',
    messageEn: 'Sign in with real-name authentication first',
  },
  YMT_ERR_SESSION_EXPIRED: {
    status: 401,
    message: '登录已过期，请重新认证',
    messageEn: 'The session has expired: sign in again',
  },
  // Declaration
  ...DECLARATION_ERRORS,
  // Verification (the verifier library reports these; so does POST /api/v1/verify)
  YMT_ERR_CODE_PREFIX: {
    status: 400,
    message: '不是一码通健康码（前缀错误）',
    messageEn: 'Not a Yimatong code: wrong prefix',
  },
  YMT_ERR_CODE_BASE45: {
    status: 400,
    message: '健康码内容损坏（Base45 解码失败）',
    messageEn: 'Damaged code: invalid base45',
  },
  YMT_ERR_CODE_CBOR: {
    status: 400,
    message: '健康码内容损坏（CBOR 格式错误）',
    messageEn: 'Damaged code: malformed CBOR',
  },
  YMT_ERR_CODE_COSE: {
    status: 400,
    message: '健康码结构错误（COSE_Sign1 格式错误）',
    messageEn: 'Malformed COSE_Sign1 structure',
  },
  YMT_ERR_CODE_CLAIMS: {
    status: 400,
    message: '健康码内容不完整或格式错误',
    messageEn: 'Missing or malformed claims in the code',
  },
  YMT_ERR_CODE_ALGORITHM: {
    status: 400,
    message: '健康码签名算法不被接受',
    messageEn: 'The signature algorithm is not allowed',
  },
  YMT_ERR_CODE_KID_UNKNOWN: {
    status: 400,
    message: '签发机构密钥未知，无法验证',
    messageEn: 'Unknown signing key (kid not in the trust list)',
  },
  YMT_ERR_CODE_ISSUER_MISMATCH: {
    status: 400,
    message: '签发机构与签名密钥不符',
    messageEn: 'The issuer does not match the signing key',
  },
  YMT_ERR_CODE_SIGNATURE: {
    status: 400,
    message: '健康码签名无效，可能被篡改',
    messageEn: 'Invalid signature: the code may have been tampered with',
  },
  YMT_ERR_CODE_EXPIRED: {
    status: 400,
    message: '健康码已过期，请持码人刷新',
    messageEn: 'The code has expired: the holder must refresh it',
  },
  YMT_ERR_CODE_NOT_YET_VALID: {
    status: 400,
    message: '健康码尚未生效（签发时间晚于当前时间）',
    messageEn: 'The code is not yet valid (issued in the future)',
  },
  YMT_ERR_CODE_KEY_OUT_OF_WINDOW: {
    status: 400,
    message: '签名密钥不在有效期内',
    messageEn: 'The signing key was not valid when the code was issued',
  },
  YMT_ERR_CODE_KEY_REVOKED: {
    status: 400,
    message: '签发该码的密钥已被吊销',
    messageEn: 'The key that signed the code has been revoked',
  },
  YMT_ERR_TRUST_LIST_INVALID: {
    status: 502,
    message: '信任列表格式错误',
    messageEn: 'The trust list is malformed',
  },
  YMT_ERR_TRUST_LIST_SIGNATURE: {
    status: 502,
    message: '信任列表签名无效',
    messageEn: 'The trust list signature is not valid',
  },
  YMT_ERR_TRUST_LIST_EXPIRED: {
    status: 502,
    message: '信任列表已过期，请联网更新',
    messageEn: 'The trust list has expired: refresh it online',
  },
  YMT_ERR_TRUST_LIST_MISSING: {
    status: 503,
    message: '本机尚无信任列表，请联网更新后再查验',
    messageEn: 'This device has no trust list yet: connect and update it before checking codes',
  },
  YMT_ERR_QR_UNREADABLE: {
    status: 400,
    message: '无法从图片中识别二维码',
    messageEn: 'No QR code could be read from the image',
  },
  // Department feeds
  YMT_ERR_FEED_FORBIDDEN: {
    status: 403,
    message: '该部门凭证无权报送此类数据',
    messageEn: 'This department credential may not send this source',
  },
  YMT_ERR_FEED_BATCH_ID: {
    status: 400,
    message: '批次号格式不正确',
    messageEn: 'The batch id must be 1–128 letters, digits, dots, hyphens or underscores',
  },
  YMT_ERR_FEED_BATCH_NOT_FOUND: { status: 404, message: '批次不存在', messageEn: 'No such batch' },
  YMT_ERR_FEED_MEDIA_TYPE: {
    status: 415,
    message: '数据格式应为 NDJSON 或 CSV',
    messageEn: 'Send application/x-ndjson or text/csv',
  },
  YMT_ERR_FEED_FORMAT: {
    status: 400,
    message: '记录格式错误（不是合法的 JSON 对象或 CSV 行）',
    messageEn: 'Malformed record: not a JSON object or a well-formed CSV row',
  },
  YMT_ERR_FEED_MISSING_FIELD: {
    status: 400,
    message: '记录缺少必填字段',
    messageEn: 'A required field is missing',
  },
  YMT_ERR_FEED_UNKNOWN_FIELD: {
    status: 400,
    message: '记录含有未知字段',
    messageEn: 'The record has an unknown field',
  },
  YMT_ERR_FEED_FIELD: { status: 400, message: '字段取值不正确', messageEn: 'A field has an invalid value' },
  YMT_ERR_FEED_DATE: {
    status: 400,
    message: '日期或时间格式不正确',
    messageEn: 'A date must be YYYY-MM-DD and a time ISO 8601 with a zone (Z or ±hh:mm)',
  },
  YMT_ERR_FEED_TIME_ORDER: {
    status: 400,
    message: '结束时间早于开始时间',
    messageEn: 'The end time is before the start time',
  },
  // Federation (provinces and their nodes)
  YMT_ERR_PEER_UNAUTHENTICATED: {
    status: 401,
    message: '联邦请求身份验证失败',
    messageEn:
      'The request between the hub and a provincial node could not be authenticated (unknown caller, bad signature, stale or replayed)',
  },
  YMT_ERR_PROVINCE_FORBIDDEN: {
    status: 403,
    message: '该省级节点无权访问此数据',
    messageEn: 'This province may not read or write this data',
  },
  YMT_ERR_KEY_CERTIFICATE_INVALID: {
    status: 400,
    message: '签名密钥证书无效',
    messageEn: "The signing key's certificate is not valid (chain, key id or validity window)",
  },
  YMT_ERR_KID_COLLISION: {
    status: 409,
    message: '密钥标识与已有密钥冲突',
    messageEn: 'The key id is already used by another key',
  },
  YMT_ERR_KEY_REVOKED: {
    status: 409,
    message: '该密钥已被吊销，不能再次上传',
    messageEn: 'The key has been revoked and cannot be uploaded again',
  },
  YMT_ERR_RULE_SET_INVALID: {
    status: 400,
    message: '规则集无效',
    messageEn: 'The rule set is not valid',
  },
  YMT_ERR_PEER_UNAVAILABLE: {
    status: 503,
    message: '国家平台或省级节点暂时无法访问，请稍后再试',
    messageEn: 'The hub or a provincial node cannot be reached; try again later',
  },
  YMT_ERR_SIGNING_KEY_UNPUBLISHED: {
    status: 503,
    message: '签名密钥尚未发布，请稍后再申领健康码',
    messageEn:
      "The province's signing key is not yet published by the hub: no code can be issued right now; try again shortly",
  },
  YMT_ERR_LINK_PROVINCIAL_ONLY: {
    status: 400,
    message: '只能关联省级健康码',
    messageEn: "Only a province's code can be linked",
  },
  YMT_ERR_LINK_NOT_OWNER: {
    status: 403,
    message: '该健康码不属于您本人',
    messageEn: 'The code does not belong to you',
  },
  YMT_ERR_CONSENT_INVALID: {
    status: 403,
    message: '授权码无效、已过期或不属于本省',
    messageEn: 'The consent token is unknown, expired or for another province',
  },
  YMT_ERR_TICKET_NOT_FOUND: {
    status: 404,
    message: '工单不存在',
    messageEn: 'No such ticket',
  },
  // Operations console
  YMT_ERR_AREA_RISK_ALREADY_ENDED: {
    status: 409,
    message: '该风险等级在此时间之前已经结束',
    messageEn: 'This risk level already ends by then',
  },
  YMT_ERR_CONSOLE_UNAUTHENTICATED: {
    status: 401,
    message: '请使用有效的运营控制台凭证登录',
    messageEn:
      "Sign in to the operations console with a valid credential (an account's ymto_… token or a department's ymtd_… token)",
  },
  YMT_ERR_CONSOLE_FORBIDDEN: {
    status: 403,
    message: '您的角色无权查看或操作此内容',
    messageEn: 'Your console role may not see or change this',
  },
  // Status entries (operators: the console and the command line)
  ...STATUS_ENTRY_ERRORS,
  // Corrections (我要纠错): the holder's dispute, its owner's decision, the records corrected
  ...CORRECTION_ERRORS,
  // Family members by proxy (代办): dependants, their guardians
  ...FAMILY_ERRORS,
  ...STAFF_ERRORS,
  // Hardened edges: node URLs the hub will not call, images and files too large to read
  ...NET_ERRORS,
  // Hardened edges: the text rule, plausible dates, CSV headers
  ...INPUT_ERRORS,
  // Federation: a holder confirms a sign-in at a province's node; the national status on a node
  YMT_ERR_CONFIRMATION_FAILED: {
    status: 401,
    message: '验证码不正确',
    messageEn: 'The confirmation code is not correct',
  },
  YMT_ERR_CONFIRMATION_EXPIRED: {
    status: 410,
    message: '验证码已失效，请重新登录',
    messageEn: 'The confirmation code has expired or was used up: sign in again',
  },
  YMT_ERR_CONFIRMATION_UNAVAILABLE: {
    status: 409,
    message: '实名信息中没有可接收验证码的手机号，请使用国家码或到社区登记',
    messageEn:
      'The real-name record has no phone to send a confirmation code to: use the national code, or register with a registrar',
  },
  YMT_ERR_TOO_MANY_CHALLENGES: {
    status: 429,
    message: '验证码发送过于频繁，请稍后再试',
    messageEn: 'Too many confirmation codes were sent: try again later',
  },
  YMT_ERR_SMS_UNAVAILABLE: {
    status: 503,
    message: '短信服务暂不可用，请稍后再试',
    messageEn: 'The text message service is not available: try again later',
  },
  YMT_ERR_NATIONAL_STATUS_UNKNOWN: {
    status: 503,
    message: '暂未取得全国健康状态，请稍后再试',
    messageEn: 'The national status is not known here yet: try again shortly',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERRORS, value);
}
