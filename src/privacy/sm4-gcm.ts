/**
 * SM4-GCM: GCM (NIST SP 800-38D) over the SM4 block cipher (GB/T 32907-2016), as RFC 8998 §4.1 names it for TLS.
 * OpenSSL 3.0 (Node 20) has SM4 in ECB and CTR modes but no SM4-GCM, so the mode is put together here: the hash
 * key H and the tag mask from SM4-ECB, the keystream from SM4-CTR, GHASH from @noble/ciphers. A 12-byte IV (J0 =
 * IV ‖ 0^31 ‖ 1) and a 16-byte tag only. test/privacy/sm4-gcm.test.ts checks it against RFC 8998 Appendix A.1.
 */
import { createCipheriv, timingSafeEqual } from 'node:crypto';
import { ghash } from '@noble/ciphers/_polyval.js';

export const SM4_KEY_LENGTH = 16;
export const SM4_GCM_IV_LENGTH = 12;
export const SM4_GCM_TAG_LENGTH = 16;
/** CTR here counts over all 128 bits, GCM over the last 32: they agree while a text stays under 2^32 − 2 blocks. */
const MAX_LENGTH = 64 * 1024 * 1024;

function ecbBlock(key: Uint8Array, block: Uint8Array): Buffer {
  const c = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function counterBlock(iv: Uint8Array, counter: number): Buffer {
  const b = Buffer.alloc(16);
  b.set(iv, 0);
  b.writeUInt32BE(counter, 12);
  return b;
}

function ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const c = createCipheriv('sm4-ctr', key, counterBlock(iv, 2));
  return Buffer.concat([c.update(data), c.final()]);
}

/** GHASH_H(A ‖ 0* ‖ C ‖ 0* ‖ [len(A)]64 ‖ [len(C)]64), masked with E(K, J0). */
function tag(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Buffer {
  const h = ecbBlock(key, new Uint8Array(16));
  const lengths = Buffer.alloc(16);
  lengths.writeBigUInt64BE(BigInt(aad.length) * 8n, 0);
  lengths.writeBigUInt64BE(BigInt(ciphertext.length) * 8n, 8);
  const s = ghash
    .create(h, aad.length + ciphertext.length)
    .update(aad)
    .update(ciphertext)
    .update(lengths)
    .digest();
  const mask = ecbBlock(key, counterBlock(iv, 1));
  for (let i = 0; i < 16; i++) mask[i] = (mask[i] ?? 0) ^ (s[i] ?? 0);
  return mask;
}

function check(key: Uint8Array, iv: Uint8Array, length: number): void {
  if (key.length !== SM4_KEY_LENGTH) throw new RangeError('an SM4 key is 16 bytes');
  if (iv.length !== SM4_GCM_IV_LENGTH) throw new RangeError('the SM4-GCM IV is 12 bytes');
  if (length > MAX_LENGTH) throw new RangeError('too long for one SM4-GCM message');
}

/** Returns ciphertext ‖ tag. */
export function sm4GcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Buffer {
  check(key, iv, plaintext.length);
  const ciphertext = ctr(key, iv, plaintext);
  return Buffer.concat([ciphertext, tag(key, iv, aad, ciphertext)]);
}

/** Takes ciphertext ‖ tag; throws when the tag does not match (nothing is decrypted then). */
export function sm4GcmDecrypt(key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
  if (sealed.length < SM4_GCM_TAG_LENGTH) throw new Error('SM4-GCM: unable to authenticate data');
  const ciphertext = sealed.subarray(0, sealed.length - SM4_GCM_TAG_LENGTH);
  check(key, iv, ciphertext.length);
  const expected = tag(key, iv, aad, ciphertext);
  if (!timingSafeEqual(expected, sealed.subarray(sealed.length - SM4_GCM_TAG_LENGTH)))
    throw new Error('SM4-GCM: unable to authenticate data');
  return ctr(key, iv, ciphertext);
}
