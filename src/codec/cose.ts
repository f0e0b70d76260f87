/**
 * COSE_Sign1 (RFC 9052 §4.2) decoding and the Sig_structure (§4.4) both sides sign and verify.
 */
import { CborTagged, CborWriter, decodeCbor, type CborKey, type CborValue } from './cbor.ts';
import { CodecError } from './codec-error.ts';

/** RFC 9052 §2: CBOR tag of COSE_Sign1_Tagged. */
export const COSE_SIGN1_TAG = 18;
/** RFC 8392 §6: CBOR tag of a CWT; it may wrap the COSE tag (EU DCC test case CO28). */
export const CWT_TAG = 61;
/** RFC 9052 §3.1: common header parameters. */
export const HEADER_ALG = 1;
export const HEADER_KID = 4;

/**
 * The algorithms the codec knows (RFC 9053 §2.1, RFC 8230 §2). Which are *allowed* is the verifier's choice.
 * SM2 (with SM3, signer ID "1234567812345678", r‖s) has no registered COSE id: -65537, the first of the private-use
 * range (RFC 9052 §16.4: below -65536), as docs/code-format.md#sm2 records.
 */
export const ALGORITHMS = {
  ES256: { id: -7, signatureLength: 64 },
  PS256: { id: -37, signatureLength: undefined },
  SM2: { id: -65537, signatureLength: 64 },
} as const;
export type AlgorithmName = keyof typeof ALGORITHMS;
/** The algorithms a Yimatong key signs codes and trust lists with (docs/operations.md#national-cryptography). */
export type SigningAlgorithm = 'ES256' | 'SM2';
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ['ES256', 'SM2'];

export function algorithmName(id: CborValue): AlgorithmName | undefined {
  if (id === ALGORITHMS.ES256.id) return 'ES256';
  if (id === ALGORITHMS.PS256.id) return 'PS256';
  if (id === ALGORITHMS.SM2.id) return 'SM2';
  return undefined;
}

export interface CoseSign1 {
  readonly protectedBytes: Uint8Array;
  readonly protectedHeader: ReadonlyMap<CborKey, CborValue>;
  readonly unprotectedHeader: ReadonlyMap<CborKey, CborValue>;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
}

function structure(detail: string): never {
  throw new CodecError('YMT_ERR_CODE_COSE', detail);
}

/** Parses CBOR bytes into a COSE_Sign1. Tags 61 (CWT) and 18 (COSE_Sign1) are accepted, each at most once. */
export function decodeCoseSign1(bytes: Uint8Array): CoseSign1 {
  let item = decodeCbor(bytes);
  if (item instanceof CborTagged && item.tag === CWT_TAG) item = item.value;
  if (item instanceof CborTagged) {
    if (item.tag !== COSE_SIGN1_TAG) structure(`unexpected tag ${item.tag}`);
    item = item.value;
  }
  if (!Array.isArray(item) || item.length !== 4) structure('COSE_Sign1 must be an array of 4 items');
  const [protectedBytes, unprotectedHeader, payload, signature] = item;
  if (!(protectedBytes instanceof Uint8Array)) structure('protected header must be a byte string');
  if (!(unprotectedHeader instanceof Map)) structure('unprotected header must be a map');
  if (!(payload instanceof Uint8Array))
    structure('payload must be a byte string (detached payloads unsupported)');
  if (!(signature instanceof Uint8Array)) structure('signature must be a byte string');
  // RFC 9052 §3: a zero-length protected bstr stands for an empty map.
  let protectedHeader: CborValue = new Map<CborKey, CborValue>();
  if (protectedBytes.length > 0) {
    try {
      protectedHeader = decodeCbor(protectedBytes);
    } catch {
      structure('protected header is not valid CBOR');
    }
  }
  if (!(protectedHeader instanceof Map)) structure('protected header must encode a map');
  return { protectedBytes, protectedHeader, unprotectedHeader, payload, signature };
}

/**
 * The key id: from the protected header when present, otherwise from the unprotected one (RFC 9052 §3.1 allows
 * either bucket; a protected value always wins, as EU DCC cases CO21/CO22 require).
 */
export function coseKid(cose: CoseSign1): Uint8Array | undefined {
  const p = cose.protectedHeader.get(HEADER_KID);
  if (p !== undefined) return p instanceof Uint8Array ? p : structure('kid must be a byte string');
  const u = cose.unprotectedHeader.get(HEADER_KID);
  if (u !== undefined) return u instanceof Uint8Array ? u : structure('kid must be a byte string');
  return undefined;
}

/**
 * The algorithm: from the protected header when present, otherwise from the unprotected one. Our issuers always
 * protect it; accepting an unprotected `alg` (as EU DCC case CO20 requires) cannot downgrade anything, because
 * the verifier also requires the algorithm to be the one the trust list binds to the key.
 */
export function coseAlgorithm(cose: CoseSign1): CborValue {
  return cose.protectedHeader.get(HEADER_ALG) ?? cose.unprotectedHeader.get(HEADER_ALG);
}

/** The first items of every Sig_structure: array(4), "Signature1". */
const SIG_STRUCTURE_HEAD = new CborWriter(16).array(4).text('Signature1').finish();
const EMPTY = new Uint8Array(0);
const scratch = new CborWriter(512);

/**
 * Sig_structure = ["Signature1", body_protected, external_aad (empty), payload] (RFC 9052 §4.4).
 * Returns a view into a buffer reused by the next call: sign or verify it before calling again. node:crypto
 * reads it synchronously and WebCrypto copies it when called (WebCrypto §14.3.4), so both are safe.
 */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return scratch
    .reset()
    .bytesRaw(SIG_STRUCTURE_HEAD)
    .bytes(protectedBytes)
    .bytes(EMPTY)
    .bytes(payload)
    .view();
}

/** The encoded protected header of our tokens: {1: alg, 4: kid}. Computed once per key. */
export function encodeProtectedHeader(alg: AlgorithmName, kid: Uint8Array): Uint8Array {
  return new CborWriter(32)
    .map(2)
    .int(HEADER_ALG)
    .int(ALGORITHMS[alg].id)
    .int(HEADER_KID)
    .bytes(kid)
    .finish();
}

/** COSE_Sign1_Tagged with an empty unprotected header, written into `w` (reset first). */
export function writeCoseSign1(
  w: CborWriter,
  protectedBytes: Uint8Array,
  payload: Uint8Array,
  signature: Uint8Array,
): CborWriter {
  return w.reset().tag(COSE_SIGN1_TAG).array(4).bytes(protectedBytes).map(0).bytes(payload).bytes(signature);
}
