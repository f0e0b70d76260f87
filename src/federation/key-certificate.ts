/**
 * Two-level trust (as the EU DCC gateway does it): a province's long-lived root key certifies each of its
 * short-lived code-signing keys; the hub checks the chain before it lists the key, and publishes the keys it
 * accepted in one trust list signed by its own anchor. A certificate is a small JSON document signed by the root
 * over its RFC 8785 canonical form (the same canonicalisation as the trust list). docs/federation.md#trust.
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { base64urlDecode, base64urlEncode } from '../codec/base64url.ts';
import type { EcPublicJwk, SigningPublicJwk } from '../codec/crypto-provider.ts';
import { canonicalJson } from '../codec/canonical-json.ts';
import { sm2PublicKeyFromJwk, type Sm2PublicKey } from '../codec/sm2.ts';
import { keyIdOfJwk } from '../signing/signing-keys.ts';

export const KEY_CERTIFICATE_FORMAT = 'yimatong-key-certificate/1';
/** The longest a code-signing key may be certified for. */
export const MAX_SIGNING_KEY_VALIDITY_MS = 90 * 86400_000;

export interface KeyCertificateBody {
  readonly format: typeof KEY_CERTIFICATE_FORMAT;
  /** The province (issuer id of its codes). */
  readonly iss: string;
  /** base64url of the 8-byte key id: SHA-256 of the key's SubjectPublicKeyInfo, first 8 bytes. */
  readonly kid: string;
  /** The code-signing key: P-256 (its codes ES256) or SM2 (its codes SM2); the root itself is P-256. */
  readonly publicJwk: SigningPublicJwk;
  /** ISO 8601 window in which the key may sign codes (and verify them, plus a code's lifetime). */
  readonly notBefore: string;
  readonly notAfter: string;
  /** The kid of the root that signs this certificate. */
  readonly rootKid: string;
}

export interface KeyCertificate extends KeyCertificateBody {
  /** base64url of the root's raw r‖s ES256 signature over the canonical body. */
  readonly signature: string;
}

export function keyCertificateSigningInput(body: KeyCertificateBody): Uint8Array {
  return new TextEncoder().encode(canonicalJson(body));
}

export function certifyKey(
  body: KeyCertificateBody,
  rootSign: (data: Uint8Array) => Uint8Array,
): KeyCertificate {
  return { ...body, signature: base64urlEncode(rootSign(keyCertificateSigningInput(body))) };
}

export function publicKeyOfJwk(jwk: EcPublicJwk): KeyObject {
  return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
}

/** A key that checks request signatures: node:crypto's for P-256, the codec's for SM2 (a hub with an SM2 anchor). */
export function verifyingKeyOfJwk(jwk: SigningPublicJwk): KeyObject | Sm2PublicKey {
  return jwk.crv === 'SM2' ? sm2PublicKeyFromJwk(jwk) : publicKeyOfJwk(jwk);
}

export function kidOfJwk(jwk: SigningPublicJwk): string {
  return base64urlEncode(keyIdOfJwk(jwk));
}

export type CertificateCheck =
  | {
      readonly ok: true;
      readonly certificate: KeyCertificate;
      readonly notBefore: number;
      readonly notAfter: number;
    }
  | { readonly ok: false; readonly problem: string };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The members of a P-256 or SM2 public JWK (`kty`, `crv`, `x`, `y`); other members are not looked at. */
export function hasSigningJwkMembers(v: unknown): v is SigningPublicJwk & Record<string, unknown> {
  return (
    isRecord(v) &&
    v.kty === 'EC' &&
    (v.crv === 'P-256' || v.crv === 'SM2') &&
    typeof v.x === 'string' &&
    typeof v.y === 'string'
  );
}

/** The members of a P-256 public JWK (`kty`, `crv`, `x`, `y`); other members are not looked at. */
export function hasP256JwkMembers(v: unknown): v is EcPublicJwk & Record<string, unknown> {
  return (
    isRecord(v) && v.kty === 'EC' && v.crv === 'P-256' && typeof v.x === 'string' && typeof v.y === 'string'
  );
}

/**
 * Checks a certificate uploaded by province `iss` against its enrolled root: shape, issuer, root, signature,
 * that the kid is the key's own, and the validity window (ordered, at most 90 days, not over at `nowMs`).
 */
export function checkKeyCertificate(
  doc: unknown,
  expected: { readonly iss: string; readonly root: EcPublicJwk; readonly rootKid: string },
  nowMs: number,
): CertificateCheck {
  const fail = (problem: string): CertificateCheck => ({ ok: false, problem });
  if (!isRecord(doc)) return fail('the certificate must be an object');
  const known = ['format', 'iss', 'kid', 'publicJwk', 'notBefore', 'notAfter', 'rootKid', 'signature'];
  const unknown = Object.keys(doc).filter((k) => !known.includes(k));
  if (unknown.length > 0) return fail(`unknown members: ${unknown.join(', ')}`);
  if (doc.format !== KEY_CERTIFICATE_FORMAT) return fail(`format must be ${KEY_CERTIFICATE_FORMAT}`);
  if (doc.iss !== expected.iss) return fail('iss must be the uploading province');
  if (doc.rootKid !== expected.rootKid) return fail("rootKid is not the province's enrolled root");
  if (!hasSigningJwkMembers(doc.publicJwk) || Object.keys(doc.publicJwk).length !== 4)
    return fail('publicJwk must be a P-256 or SM2 public JWK (kty, crv, x, y only)');
  if (typeof doc.kid !== 'string' || typeof doc.signature !== 'string')
    return fail('kid and signature are required');
  if (typeof doc.notBefore !== 'string' || typeof doc.notAfter !== 'string')
    return fail('notBefore and notAfter are required');
  const notBefore = Date.parse(doc.notBefore);
  const notAfter = Date.parse(doc.notAfter);
  if (Number.isNaN(notBefore) || Number.isNaN(notAfter))
    return fail('notBefore and notAfter must be ISO 8601');
  if (notAfter <= notBefore) return fail('notAfter must be after notBefore');
  if (notAfter - notBefore > MAX_SIGNING_KEY_VALIDITY_MS)
    return fail('a signing key may be certified for 90 days at most');
  if (notAfter <= nowMs) return fail('the certificate has expired');
  let kid: string;
  try {
    kid = kidOfJwk(doc.publicJwk);
  } catch {
    return fail(`publicJwk is not a point on ${doc.publicJwk.crv}`);
  }
  if (kid !== doc.kid)
    return fail("kid is not the key's own (SHA-256 of its SubjectPublicKeyInfo, first 8 bytes)");
  const body: KeyCertificateBody = {
    format: KEY_CERTIFICATE_FORMAT,
    iss: doc.iss,
    kid,
    publicJwk: {
      kty: 'EC',
      crv: doc.publicJwk.crv,
      x: doc.publicJwk.x,
      y: doc.publicJwk.y,
    },
    notBefore: doc.notBefore,
    notAfter: doc.notAfter,
    rootKid: doc.rootKid,
  };
  const signature = base64urlDecode(doc.signature);
  let valid = false;
  try {
    valid =
      signature?.length === 64 &&
      nodeVerify(
        'sha256',
        keyCertificateSigningInput(body),
        { key: publicKeyOfJwk(expected.root), dsaEncoding: 'ieee-p1363' },
        signature,
      );
  } catch {
    valid = false;
  }
  if (!valid) return fail("the root's signature does not verify");
  return { ok: true, certificate: { ...body, signature: doc.signature }, notBefore, notAfter };
}
