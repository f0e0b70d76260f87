/**
 * SM2 digital signatures (GB/T 32918.2-2016, GM/T 0003.2-2012) with SM3, on the recommended curve of
 * GB/T 32918.5-2017, in plain TypeScript over @noble/curves' generic short Weierstrass arithmetic — the same code
 * on the server, in the CLI and in the browser scanner (WebCrypto has no SM2).
 *
 * Not node:crypto (PITFALLS.md): a key it generates on the SM2 curve signs plain ECDSA, and a key it imports from
 * PEM signs with an empty signer ID, which cannot be set. Here the signer ID is always the standard's default,
 * "1234567812345678" (GB/T 35276-2017 §10), the signature is r‖s (32 + 32 bytes, big-endian), and k is drawn
 * fresh from the platform's CSPRNG for every signature (docs/code-format.md#sm2).
 */
import { invert, mod } from '@noble/curves/abstract/modular.js';
import { weierstrassN, type WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { base64urlDecode } from './base64url.ts';
import { sm3 } from './sm3.ts';

/** The recommended curve (GB/T 32918.5-2017). */
const CURVE: { readonly [K in 'p' | 'a' | 'b' | 'n' | 'h' | 'Gx' | 'Gy']: bigint } = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
};
const N = CURVE.n;

const Point = weierstrassN(CURVE);
type Sm2Point = WeierstrassPoint<bigint>;

/** The signer ID every Yimatong SM2 signature uses: the standard's default (GB/T 35276-2017 §10). */
export const SM2_DEFAULT_SIGNER_ID = new TextEncoder().encode('1234567812345678');
export const SM2_SIGNATURE_LENGTH = 64;

/** A public key ready to verify: the point and its Z_A, which depends on the key and the signer ID only. */
export interface Sm2PublicKey {
  readonly point: Sm2Point;
  readonly za: Uint8Array;
  /** x‖y, 32 bytes each. */
  readonly x: Uint8Array;
  readonly y: Uint8Array;
}

const b32 = (n: bigint): Uint8Array => numberToBytesBE(n, 32);
const CURVE_BYTES = [CURVE.a, CURVE.b, CURVE.Gx, CURVE.Gy].map(b32);

/** Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 §5.5). */
export function sm2Za(x: Uint8Array, y: Uint8Array, id: Uint8Array = SM2_DEFAULT_SIGNER_ID): Uint8Array {
  const bits = id.length * 8;
  if (bits > 0xffff) throw new RangeError('the signer ID is too long');
  return sm3(new Uint8Array([bits >> 8, bits & 0xff]), id, ...CURVE_BYTES, x, y);
}

function keyOf(point: Sm2Point, id: Uint8Array): Sm2PublicKey {
  const x = b32(point.x);
  const y = b32(point.y);
  return { point, za: sm2Za(x, y, id), x, y };
}

/** A public key from its affine coordinates (32 bytes each); throws unless the point is on the curve. */
export function sm2PublicKey(
  x: Uint8Array,
  y: Uint8Array,
  id: Uint8Array = SM2_DEFAULT_SIGNER_ID,
): Sm2PublicKey {
  if (x.length !== 32 || y.length !== 32) throw new RangeError('SM2 coordinates are 32 bytes each');
  const point = Point.fromAffine({ x: bytesToNumberBE(x), y: bytesToNumberBE(y) });
  point.assertValidity();
  // Multiples of the key are tabulated (window 4: 65 × 8 points) at its first verification, which then costs
  // about a quarter of an untabulated one; a key only loaded never pays for it.
  return keyOf(point.precompute(4, true), id);
}

/** A private key d (32 bytes, 1 ≤ d ≤ n − 2: 1 + d must be invertible) and its public key. */
export interface Sm2PrivateKey {
  readonly d: bigint;
  readonly publicKey: Sm2PublicKey;
}

export function sm2PrivateKey(d: Uint8Array, id: Uint8Array = SM2_DEFAULT_SIGNER_ID): Sm2PrivateKey {
  if (d.length !== 32) throw new RangeError('an SM2 private key is 32 bytes');
  const scalar = bytesToNumberBE(d);
  if (scalar < 1n || scalar > N - 2n) throw new RangeError('the SM2 private key is out of range');
  return { d: scalar, publicKey: keyOf(Point.BASE.multiply(scalar), id) };
}

/** A scalar uniformly drawn from [1, max] by rejection, from the platform's CSPRNG. */
function randomScalar(max: bigint): bigint {
  const buf = new Uint8Array(32);
  for (;;) {
    globalThis.crypto.getRandomValues(buf);
    const k = bytesToNumberBE(buf);
    if (k >= 1n && k <= max) return k;
  }
}

/** A fresh private key: d drawn uniformly from [1, n − 2]. */
export function sm2GenerateKey(): { d: Uint8Array; privateKey: Sm2PrivateKey } {
  const d = b32(randomScalar(N - 2n));
  return { d, privateKey: sm2PrivateKey(d) };
}

/** e = SM3(Z_A ‖ M) as an integer (GB/T 32918.2 §6.1 A1–A2). */
function digest(za: Uint8Array, message: Uint8Array): bigint {
  return bytesToNumberBE(sm3(za, message));
}

/** Signs `message` (GB/T 32918.2 §6.1), with a fresh random k for every signature. Returns r‖s. */
export function sm2Sign(key: Sm2PrivateKey, message: Uint8Array): Uint8Array {
  const e = digest(key.publicKey.za, message);
  const dInverse = invert(1n + key.d, N);
  for (;;) {
    const k = randomScalar(N - 1n);
    const x1 = Point.BASE.multiply(k).x;
    const r = mod(e + x1, N);
    if (r === 0n || r + k === N) continue;
    const s = mod(dInverse * (k - r * key.d), N);
    if (s === 0n) continue;
    const out = new Uint8Array(SM2_SIGNATURE_LENGTH);
    out.set(b32(r), 0);
    out.set(b32(s), 32);
    return out;
  }
}

/** Verifies r‖s over `message` (GB/T 32918.2 §7.1). Never throws for a malformed signature. */
export function sm2Verify(key: Sm2PublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SM2_SIGNATURE_LENGTH) return false;
  const r = bytesToNumberBE(signature.subarray(0, 32));
  const s = bytesToNumberBE(signature.subarray(32));
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const t = mod(r + s, N);
  if (t === 0n) return false;
  const sum = Point.BASE.multiplyUnsafe(s).add(key.point.multiplyUnsafe(t));
  if (sum.is0()) return false;
  return mod(digest(key.za, message) + sum.x, N) === r;
}

/** A public key from its JWK members (`x`, `y`: base64url of 32 bytes each); throws unless on the curve. */
export function sm2PublicKeyFromJwk(jwk: { readonly x: string; readonly y: string }): Sm2PublicKey {
  const x = base64urlDecode(jwk.x);
  const y = base64urlDecode(jwk.y);
  if (!x || !y) throw new RangeError('SM2 coordinates must be base64url');
  return sm2PublicKey(x, y);
}
