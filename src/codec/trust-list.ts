/**
 * The signed trust list (docs/code-format.md §Trust list): every issuer's public keys as JWKs with validity
 * windows, signed by the hub's trust anchor over the RFC 8785 (JCS) canonical form of the document without its
 * `signature` member. Checkpoints cache it and verify offline.
 */
import { base64urlDecode, base64urlEncode } from './base64url.ts';
import { CodecError } from './codec-error.ts';
import type { AlgorithmName, SigningAlgorithm } from './cose.ts';
import { algorithmOfCurve, type CryptoProvider, type SigningPublicJwk } from './crypto-provider.ts';
import { canonicalJson } from './canonical-json.ts';

export const TRUST_LIST_FORMAT = 'yimatong-trust-list/1';

/** A listed key: a P-256 key is ES256 and an SM2 key is SM2 (checked when the list is loaded), nothing else. */
export interface TrustListKeyJwk {
  readonly kty: 'EC';
  readonly crv: SigningPublicJwk['crv'];
  readonly x: string;
  readonly y: string;
  /** base64url of the 8-byte COSE kid. */
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly use: 'sig';
  /** The issuer (`iss` claim) whose codes this key signs. */
  readonly iss: string;
  /** ISO 8601: codes issued before this are not accepted with this key. */
  readonly notBefore: string;
  /** ISO 8601: after this, the key verifies nothing (absent while the key is in service). */
  readonly notAfter?: string;
}

export interface TrustListIssuer {
  readonly iss: string;
  readonly name: string;
  readonly nameEn: string;
}

/** A key withdrawn before its time (compromise, a province's emergency): codes it signed fail everywhere. */
export interface TrustListRevocation {
  readonly kid: string;
  readonly iss: string;
  /** ISO 8601. */
  readonly revokedAt: string;
}

export interface TrustListSignature {
  /** The anchor's algorithm: ES256 for a P-256 anchor, SM2 for an SM2 one. */
  readonly alg: SigningAlgorithm;
  /** base64url kid of the trust anchor. */
  readonly kid: string;
  /** base64url of the raw r‖s signature over the JCS form of the document without `signature`. */
  readonly value: string;
}

export interface TrustListBody {
  readonly format: typeof TRUST_LIST_FORMAT;
  readonly version: number;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly issuers: TrustListIssuer[];
  readonly keys: TrustListKeyJwk[];
  /**
   * The acceptance rule sets checkpoints apply (docs/rules.md#acceptance-rules), as JSON documents; signed with
   * the rest, so an offline checkpoint's rules are as trustworthy as its keys. Optional.
   */
  readonly acceptanceRules?: Record<string, unknown>[];
  /** Revoked keys, kept listed until they would have expired anyway. Optional. */
  readonly revoked?: TrustListRevocation[];
}

export interface TrustListDocument extends TrustListBody {
  readonly signature: TrustListSignature;
}

/** A trust anchor as a verifier pins it: the anchor's public JWK (P-256 or SM2) with its kid. */
export type TrustAnchor = SigningPublicJwk & { readonly kid: string };

export interface TrustedKey {
  readonly kid: string;
  readonly iss: string;
  readonly alg: AlgorithmName;
  readonly notBefore: number;
  readonly notAfter: number | undefined;
  readonly key: unknown;
}

/** A verified, loaded trust list: what verifyCode takes. Times are milliseconds since the epoch. */
export interface TrustList {
  readonly version: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly issuers: readonly TrustListIssuer[];
  readonly keys: ReadonlyMap<string, TrustedKey>;
  /** The signed acceptance rule sets, still to be validated by whoever applies them; empty when none. */
  readonly acceptanceRules: readonly Readonly<Record<string, unknown>>[];
  /** Revoked kids (base64url) and when. */
  readonly revoked: ReadonlyMap<string, TrustListRevocation>;
}

export function trustListSigningInput(body: TrustListBody): Uint8Array {
  return new TextEncoder().encode(canonicalJson(body));
}

/** Signs a body with the anchor (the hub side passes a node:crypto signer). */
export function signTrustList(
  body: TrustListBody,
  anchorKid: string,
  sign: (data: Uint8Array) => Uint8Array,
  alg: SigningAlgorithm = 'ES256',
): TrustListDocument {
  const value = base64urlEncode(sign(trustListSigningInput(body)));
  return { ...body, signature: { alg, kid: anchorKid, value } };
}

function invalid(detail: string): never {
  throw new CodecError('YMT_ERR_TRUST_LIST_INVALID', detail);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, k: string): string {
  const v = o[k];
  if (typeof v !== 'string') invalid(`${k} must be a string`);
  return v;
}

function isoTime(v: string): string {
  if (Number.isNaN(Date.parse(v))) invalid('times must be ISO 8601');
  return v;
}

function time(o: Record<string, unknown>, k: string): number {
  const t = Date.parse(str(o, k));
  if (Number.isNaN(t)) invalid(`${k} must be an ISO 8601 time`);
  return t;
}

/** Rebuilds the exact signed body from untrusted JSON: unknown members are dropped *before* verification. */
function parseBody(doc: Record<string, unknown>): TrustListBody {
  if (doc.format !== TRUST_LIST_FORMAT) invalid('unknown format');
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) invalid('version must be an integer');
  if (!Array.isArray(doc.issuers) || !Array.isArray(doc.keys)) invalid('issuers and keys must be arrays');
  const issuers = doc.issuers.map((i): TrustListIssuer => {
    if (!isRecord(i)) invalid('issuer must be an object');
    return { iss: str(i, 'iss'), name: str(i, 'name'), nameEn: str(i, 'nameEn') };
  });
  const keys = doc.keys.map((k): TrustListKeyJwk => {
    if (!isRecord(k)) invalid('key must be an object');
    // The curve and the algorithm must agree: a P-256 key verifies ES256 only, an SM2 key SM2 only.
    const crv = k.crv === 'P-256' || k.crv === 'SM2' ? k.crv : invalid('unsupported key');
    if (k.kty !== 'EC' || k.alg !== algorithmOfCurve(crv) || k.use !== 'sig') invalid('unsupported key');
    const notAfter = k.notAfter === undefined ? undefined : str(k, 'notAfter');
    return {
      kty: 'EC',
      crv,
      x: str(k, 'x'),
      y: str(k, 'y'),
      kid: str(k, 'kid'),
      alg: algorithmOfCurve(crv),
      use: 'sig',
      iss: str(k, 'iss'),
      notBefore: isoTime(str(k, 'notBefore')),
      ...(notAfter === undefined ? {} : { notAfter: isoTime(notAfter) }),
    };
  });
  const rules = doc.acceptanceRules;
  if (rules !== undefined && !(Array.isArray(rules) && rules.every(isRecord)))
    invalid('acceptanceRules must be an array of objects');
  const revokedDoc = doc.revoked;
  if (revokedDoc !== undefined && !Array.isArray(revokedDoc)) invalid('revoked must be an array');
  const revoked = revokedDoc?.map((r): TrustListRevocation => {
    if (!isRecord(r)) invalid('a revocation must be an object');
    return { kid: str(r, 'kid'), iss: str(r, 'iss'), revokedAt: isoTime(str(r, 'revokedAt')) };
  });
  return {
    format: TRUST_LIST_FORMAT,
    version,
    issuedAt: str(doc, 'issuedAt'),
    expiresAt: str(doc, 'expiresAt'),
    issuers,
    keys,
    ...(rules === undefined ? {} : { acceptanceRules: rules }),
    ...(revoked === undefined ? {} : { revoked }),
  };
}

export type LoadTrustListResult =
  | { ok: true; trustList: TrustList }
  | {
      ok: false;
      error: 'YMT_ERR_TRUST_LIST_INVALID' | 'YMT_ERR_TRUST_LIST_SIGNATURE' | 'YMT_ERR_TRUST_LIST_EXPIRED';
    };

/**
 * Checks the anchor's signature, the list's expiry at `now`, and imports every key once.
 * Never throws for bad input: the result says what was wrong.
 */
export async function loadTrustList(
  doc: unknown,
  anchor: TrustAnchor,
  now: Date | number,
  crypto: CryptoProvider,
): Promise<LoadTrustListResult> {
  try {
    if (!isRecord(doc) || !isRecord(doc.signature)) invalid('not a signed trust list');
    const body = parseBody(doc);
    const sig = doc.signature;
    // The pinned anchor's curve names the algorithm; the document's `alg` must agree, never choose.
    const anchorAlg = algorithmOfCurve(anchor.crv);
    if (sig.alg !== anchorAlg || sig.kid !== anchor.kid) throw new CodecError('YMT_ERR_TRUST_LIST_SIGNATURE');
    const signature = base64urlDecode(str(sig, 'value'));
    const anchorKey = await importEcKey(crypto, anchor);
    if (
      signature?.length !== 64 ||
      !(await crypto.verify(anchorAlg, anchorKey, trustListSigningInput(body), signature))
    ) {
      throw new CodecError('YMT_ERR_TRUST_LIST_SIGNATURE');
    }
    const expiresAt = time(doc, 'expiresAt');
    if (+now > expiresAt) throw new CodecError('YMT_ERR_TRUST_LIST_EXPIRED');
    const keys = new Map<string, TrustedKey>();
    for (const k of body.keys) {
      if (keys.has(k.kid)) invalid('duplicate kid');
      if (body.revoked?.some((r) => r.kid === k.kid)) invalid('a key is both listed and revoked');
      keys.set(k.kid, {
        kid: k.kid,
        iss: k.iss,
        alg: k.alg,
        notBefore: Date.parse(k.notBefore),
        notAfter: k.notAfter === undefined ? undefined : Date.parse(k.notAfter),
        key: await importEcKey(crypto, k),
      });
    }
    return {
      ok: true,
      trustList: {
        version: body.version,
        issuedAt: time(doc, 'issuedAt'),
        expiresAt,
        issuers: body.issuers,
        keys,
        acceptanceRules: body.acceptanceRules ?? [],
        revoked: new Map((body.revoked ?? []).map((r) => [r.kid, r])),
      },
    };
  } catch (e) {
    if (e instanceof CodecError) {
      const code = e.code;
      if (code === 'YMT_ERR_TRUST_LIST_SIGNATURE' || code === 'YMT_ERR_TRUST_LIST_EXPIRED')
        return { ok: false, error: code };
      return { ok: false, error: 'YMT_ERR_TRUST_LIST_INVALID' };
    }
    throw e;
  }
}

async function importEcKey(crypto: CryptoProvider, jwk: SigningPublicJwk): Promise<unknown> {
  const members: SigningPublicJwk =
    jwk.crv === 'SM2'
      ? { kty: 'EC', crv: 'SM2', x: jwk.x, y: jwk.y }
      : { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  try {
    return await crypto.importPublicKey(members, algorithmOfCurve(jwk.crv));
  } catch {
    return invalid('a key cannot be imported');
  }
}
