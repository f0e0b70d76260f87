/** CWT claims (RFC 8392) and the time checks every verifier makes. */
import { decodeCbor, type CborKey, type CborValue } from './cbor.ts';
import { CodecError } from './codec-error.ts';

/** RFC 8392 §3.1 claim keys. */
export const CLAIM_ISS = 1;
export const CLAIM_SUB = 2;
export const CLAIM_EXP = 4;
export const CLAIM_NBF = 5;
export const CLAIM_IAT = 6;
export const CLAIM_CTI = 7;

export interface CwtClaims {
  readonly iss: string | undefined;
  readonly exp: number | undefined;
  readonly nbf: number | undefined;
  readonly iat: number | undefined;
  readonly cti: Uint8Array | undefined;
  readonly all: ReadonlyMap<CborKey, CborValue>;
}

function claims(detail: string): never {
  throw new CodecError('YMT_ERR_CODE_CLAIMS', detail);
}

function numericDate(value: CborValue, name: string): number | undefined {
  if (value === undefined) return undefined;
  // RFC 8392 §2: NumericDate is an integer or floating-point number of seconds since the epoch.
  if (typeof value !== 'number' || !Number.isFinite(value)) claims(`${name} must be a NumericDate`);
  return value;
}

export function decodeCwtClaims(payload: Uint8Array): CwtClaims {
  let map: CborValue;
  try {
    map = decodeCbor(payload);
  } catch {
    return claims('payload is not valid CBOR');
  }
  if (!(map instanceof Map)) return claims('payload must be a CBOR map of claims');
  const iss = map.get(CLAIM_ISS);
  if (iss !== undefined && typeof iss !== 'string') claims('iss must be text');
  const cti = map.get(CLAIM_CTI);
  if (cti !== undefined && !(cti instanceof Uint8Array)) claims('cti must be a byte string');
  return {
    iss,
    exp: numericDate(map.get(CLAIM_EXP), 'exp'),
    nbf: numericDate(map.get(CLAIM_NBF), 'nbf'),
    iat: numericDate(map.get(CLAIM_IAT), 'iat'),
    cti,
    all: map,
  };
}

/**
 * RFC 8392 §3.1.4–3.1.6: the code is valid from iat (and nbf) to exp. `skewSeconds` tolerates clocks that
 * disagree, in both directions. `exp` is required: every code we accept expires.
 */
export function checkValidityWindow(c: CwtClaims, nowSeconds: number, skewSeconds: number): void {
  if (c.exp === undefined) claims('exp is required');
  if (c.iat !== undefined && c.iat > nowSeconds + skewSeconds) {
    throw new CodecError('YMT_ERR_CODE_NOT_YET_VALID');
  }
  if (c.nbf !== undefined && c.nbf > nowSeconds + skewSeconds) {
    throw new CodecError('YMT_ERR_CODE_NOT_YET_VALID');
  }
  if (nowSeconds > c.exp + skewSeconds) throw new CodecError('YMT_ERR_CODE_EXPIRED');
}
