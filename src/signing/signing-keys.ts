/**
 * Private signing keys of either algorithm as the key files hold them (a private JWK), and what a loaded one
 * offers: its public JWK, its 8-byte kid and a raw r‖s signer. ES256 keys go through node:crypto; SM2 keys through
 * the codec's SM2 (src/codec/sm2.ts), because node:crypto's SM2 is a trap (PITFALLS.md). Their JWK is
 * `{kty: "EC", crv: "SM2", x, y, d}` (d: 32 bytes, base64url), a form of our own: JOSE registers no SM2 curve.
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { base64urlDecode, base64urlEncode } from '../codec/base64url.ts';
import type { SigningAlgorithm } from '../codec/cose.ts';
import type { EcPublicJwk, SigningPublicJwk, Sm2PublicJwk } from '../codec/crypto-provider.ts';
import { sm2GenerateKey, sm2PrivateKey, sm2PublicKeyFromJwk, sm2Sign } from '../codec/sm2.ts';
import { es256Sign, keyIdOf, newP256KeyPair } from './node-crypto.ts';

export interface LoadedSigningKey {
  readonly alg: SigningAlgorithm;
  readonly publicJwk: SigningPublicJwk;
  readonly kid: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

/**
 * SubjectPublicKeyInfo of an SM2 key: id-ecPublicKey with the SM2 curve's OID (1.2.156.10197.1.301), then the
 * uncompressed point — as OpenSSL writes it, so a kid is the same whichever tool computes it.
 */
const SM2_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d03420004', 'hex');

export function sm2Spki(x: Uint8Array, y: Uint8Array): Buffer {
  return Buffer.concat([SM2_SPKI_PREFIX, x, y]);
}

/** The kid of an SM2 key: as for P-256, the first 8 bytes of SHA-256 over its SubjectPublicKeyInfo (DER). */
export function sm2KeyId(jwk: Sm2PublicJwk): Uint8Array {
  const key = sm2PublicKeyFromJwk(jwk);
  return new Uint8Array(createHash('sha256').update(sm2Spki(key.x, key.y)).digest().subarray(0, 8));
}

/** The kid of a P-256 or SM2 public JWK; throws when the point is not on its curve. */
export function keyIdOfJwk(jwk: SigningPublicJwk): Uint8Array {
  if (jwk.crv === 'SM2') return sm2KeyId(jwk);
  return keyIdOf(createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' }));
}

/** A fresh private key of `alg`, as a JWK. */
export function newPrivateJwk(alg: SigningAlgorithm): Record<string, unknown> {
  if (alg === 'SM2') {
    const { d, privateKey } = sm2GenerateKey();
    const pub = privateKey.publicKey;
    return {
      kty: 'EC',
      crv: 'SM2',
      x: base64urlEncode(pub.x),
      y: base64urlEncode(pub.y),
      d: base64urlEncode(d),
    };
  }
  return { ...newP256KeyPair().privateKey.export({ format: 'jwk' }) };
}

/** Loads a private JWK written by newPrivateJwk (a P-256 JWK or our SM2 form). */
export function loadSigningKey(privateJwk: Record<string, unknown>): LoadedSigningKey {
  if (privateJwk.crv === 'SM2') {
    const d = typeof privateJwk.d === 'string' ? base64urlDecode(privateJwk.d) : undefined;
    if (!d) throw new Error('an SM2 private key needs d');
    const key = sm2PrivateKey(d);
    const publicJwk: Sm2PublicJwk = {
      kty: 'EC',
      crv: 'SM2',
      x: base64urlEncode(key.publicKey.x),
      y: base64urlEncode(key.publicKey.y),
    };
    return { alg: 'SM2', publicJwk, kid: sm2KeyId(publicJwk), sign: (data) => sm2Sign(key, data) };
  }
  const key = createPrivateKey({ key: privateJwk, format: 'jwk' });
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  const publicJwk: EcPublicJwk = { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) };
  return {
    alg: 'ES256',
    publicJwk,
    kid: keyIdOf(createPublicKey(key)),
    sign: (data) => es256Sign(key, data),
  };
}
