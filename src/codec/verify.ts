/**
 * Offline verification of a Yimatong code: QR text + trust list + current time → result. No I/O; the
 * signature primitive comes from the caller. Never throws for bad input: every failure is a coded result.
 */
import { base64urlEncode } from './base64url.ts';
import { CodecError, type CodecErrorCode } from './codec-error.ts';
import {
  ALGORITHMS,
  algorithmName,
  coseAlgorithm,
  coseKid,
  decodeCoseSign1,
  sigStructure,
  type AlgorithmName,
  type CoseSign1,
} from './cose.ts';
import type { CryptoProvider } from './crypto-provider.ts';
import { checkValidityWindow, decodeCwtClaims } from './cwt.ts';
import {
  CODE_LIFETIME_SECONDS,
  decodeCodeText,
  PAPER_CODE_MAX_LIFETIME_SECONDS,
  parseCodeClaims,
  type CodeForm,
  type Colour,
} from './token.ts';
import type { TrustedKey, TrustList } from './trust-list.ts';

export const DEFAULT_SKEW_SECONDS = 60;
export const DEFAULT_ALGORITHMS: readonly AlgorithmName[] = ['ES256', 'SM2'];
/** Our kids are 8 bytes (ARCHITECTURE.md); EU DCC cases CO25/CO26 reject other lengths. */
export const KID_LENGTH = 8;

export interface VerifyOptions {
  readonly crypto: CryptoProvider;
  /** Tolerated disagreement between the issuer's clock and ours, both ways. Default 60 s. */
  readonly skewSeconds?: number;
  /**
   * Algorithms accepted. Default ['ES256', 'SM2']: whichever a province signs with, and never one its key is not
   * bound to (the trust list binds each key to one algorithm).
   */
  readonly algorithms?: readonly AlgorithmName[];
}

export interface VerifiedCode {
  readonly valid: true;
  readonly colour: Colour;
  readonly maskedName: string;
  /** Paper codes (Q9) are shown as such: a longer validity, printed by a registrar. */
  readonly form: CodeForm;
  readonly issuer: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly kid: string;
  /** The code id, hex. */
  readonly codeId: string;
}

export interface RejectedCode {
  readonly valid: false;
  readonly error: CodecErrorCode;
}

export type VerifyResult = VerifiedCode | RejectedCode;

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/**
 * Finds the signing key and checks the signature of a decoded COSE_Sign1: algorithm allow-list, kid length,
 * kid in the trust list, algorithm matching the key, signature. Shared by the YMT verifier and the EU DCC
 * vectors harness.
 */
export async function verifyCoseSignature(
  cose: CoseSign1,
  keys: ReadonlyMap<string, TrustedKey>,
  crypto: CryptoProvider,
  algorithms: readonly AlgorithmName[],
): Promise<TrustedKey> {
  const alg = algorithmName(coseAlgorithm(cose));
  if (alg === undefined || !algorithms.includes(alg)) throw new CodecError('YMT_ERR_CODE_ALGORITHM');
  const kid = coseKid(cose);
  if (kid?.length !== KID_LENGTH) throw new CodecError('YMT_ERR_CODE_KID_UNKNOWN');
  const key = keys.get(base64urlEncode(kid));
  if (key === undefined) throw new CodecError('YMT_ERR_CODE_KID_UNKNOWN');
  if (key.alg !== alg) throw new CodecError('YMT_ERR_CODE_ALGORITHM');
  const expectedLength = ALGORITHMS[alg].signatureLength;
  if (expectedLength !== undefined && cose.signature.length !== expectedLength) {
    throw new CodecError('YMT_ERR_CODE_SIGNATURE');
  }
  let ok: boolean;
  try {
    const r = crypto.verify(alg, key.key, sigStructure(cose.protectedBytes, cose.payload), cose.signature);
    ok = typeof r === 'boolean' ? r : await r;
  } catch {
    ok = false;
  }
  if (!ok) throw new CodecError('YMT_ERR_CODE_SIGNATURE');
  return key;
}

/**
 * The kid (base64url) a code names, when it names one of the right length; undefined when the text does not
 * decode that far. An online verifier that met an unknown kid uses it to ask for a newer trust list once per kid.
 */
export function codeKid(text: string): string | undefined {
  try {
    const kid = coseKid(decodeCoseSign1(decodeCodeText(text.trim())));
    return kid?.length === KID_LENGTH ? base64urlEncode(kid) : undefined;
  } catch (e) {
    if (e instanceof CodecError) return undefined;
    throw e;
  }
}

export async function verifyCode(
  text: string,
  trustList: TrustList,
  now: Date | number,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const nowMs = +now;
  const skew = options.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  try {
    if (nowMs > trustList.expiresAt) throw new CodecError('YMT_ERR_TRUST_LIST_EXPIRED');
    const cose = decodeCoseSign1(decodeCodeText(text));
    const kid = coseKid(cose);
    if (kid !== undefined && trustList.revoked.has(base64urlEncode(kid)))
      throw new CodecError('YMT_ERR_CODE_KEY_REVOKED');
    const key = await verifyCoseSignature(
      cose,
      trustList.keys,
      options.crypto,
      options.algorithms ?? DEFAULT_ALGORITHMS,
    );
    const cwt = decodeCwtClaims(cose.payload);
    const claims = parseCodeClaims(cwt);
    if (claims.iss !== key.iss) throw new CodecError('YMT_ERR_CODE_ISSUER_MISMATCH');
    checkValidityWindow(cwt, nowMs / 1000, skew);
    // The longest a code may live is the format's, whatever its key signed: 15 minutes on screen, 7 days on paper.
    const longest = claims.form === 'paper' ? PAPER_CODE_MAX_LIFETIME_SECONDS : CODE_LIFETIME_SECONDS;
    if (claims.exp - claims.iat > longest) throw new CodecError('YMT_ERR_CODE_LIFETIME');
    // The key must have been in service when the code was issued, and still be trusted now.
    if (claims.iat * 1000 < key.notBefore - skew * 1000)
      throw new CodecError('YMT_ERR_CODE_KEY_OUT_OF_WINDOW');
    if (key.notAfter !== undefined && nowMs > key.notAfter)
      throw new CodecError('YMT_ERR_CODE_KEY_OUT_OF_WINDOW');
    return {
      valid: true,
      colour: claims.colour,
      maskedName: claims.maskedName,
      form: claims.form ?? 'screen',
      issuer: claims.iss,
      issuedAt: new Date(claims.iat * 1000),
      expiresAt: new Date(claims.exp * 1000),
      kid: key.kid,
      codeId: hex(claims.cti),
    };
  } catch (e) {
    if (e instanceof CodecError) return { valid: false, error: e.code };
    throw e;
  }
}
