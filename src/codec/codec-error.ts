import type { ErrorCode } from '../errors/registry.ts';

/**
 * The verification failures the codec reports. A closed union: a verifier maps each to a message through the
 * error registry.
 */
export type CodecErrorCode = Extract<
  ErrorCode,
  | 'YMT_ERR_CODE_PREFIX'
  | 'YMT_ERR_CODE_BASE45'
  | 'YMT_ERR_CODE_CBOR'
  | 'YMT_ERR_CODE_COSE'
  | 'YMT_ERR_CODE_CLAIMS'
  | 'YMT_ERR_CODE_ALGORITHM'
  | 'YMT_ERR_CODE_KID_UNKNOWN'
  | 'YMT_ERR_CODE_ISSUER_MISMATCH'
  | 'YMT_ERR_CODE_SIGNATURE'
  | 'YMT_ERR_CODE_EXPIRED'
  | 'YMT_ERR_CODE_NOT_YET_VALID'
  | 'YMT_ERR_CODE_LIFETIME'
  | 'YMT_ERR_CODE_KEY_OUT_OF_WINDOW'
  | 'YMT_ERR_CODE_KEY_REVOKED'
  | 'YMT_ERR_TRUST_LIST_INVALID'
  | 'YMT_ERR_TRUST_LIST_SIGNATURE'
  | 'YMT_ERR_TRUST_LIST_EXPIRED'
>;

/** Bad input inside the codec. Thrown internally and turned into a result at the public boundary. */
export class CodecError extends Error {
  readonly code: CodecErrorCode;
  constructor(code: CodecErrorCode, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'CodecError';
    this.code = code;
  }
}
