/**
 * The verifier library: everything a checkpoint needs to verify a Yimatong code offline. No Node-only
 * dependency; the browser scanner bundles it with `webCryptoProvider()`.
 */
export {
  verifyCode,
  codeKid,
  DEFAULT_SKEW_SECONDS,
  type VerifyResult,
  type VerifiedCode,
  type RejectedCode,
  type VerifyOptions,
} from './verify.ts';
export {
  loadTrustList,
  type TrustList,
  type TrustListDocument,
  type TrustAnchor,
  type LoadTrustListResult,
} from './trust-list.ts';
export { webCryptoProvider } from './webcrypto.ts';
export type { CryptoProvider, PublicJwk } from './crypto-provider.ts';
export type { CodecErrorCode } from './codec-error.ts';
export { YMT_PREFIX, CODE_LIFETIME_SECONDS, COLOURS, type Colour } from './token.ts';
