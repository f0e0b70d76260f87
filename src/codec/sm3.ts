/**
 * SM3 (GB/T 32905-2016, GM/T 0004-2012), the hash of SM2 signatures, in plain TypeScript: the browser scanner has
 * no SM3 (WebCrypto knows none), and the verifier runs the same code everywhere. Node's `sm3` digest serves as the
 * cross-check in test/codec/sm3.test.ts.
 */
const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

function rotl(x: number, n: number): number {
  const s = n % 32;
  return s === 0 ? x : (x << s) | (x >>> (32 - s));
}

const P0 = (x: number): number => x ^ rotl(x, 9) ^ rotl(x, 17);
const P1 = (x: number): number => x ^ rotl(x, 15) ^ rotl(x, 23);
/** T_j rotated left by j, precomputed. */
const T_ROTATED = Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j) >>> 0);

const W = new Int32Array(68);
const W1 = new Int32Array(64);

function compress(v: Int32Array, block: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) {
    const o = at + i * 4;
    W[i] =
      ((block[o] ?? 0) << 24) |
      ((block[o + 1] ?? 0) << 16) |
      ((block[o + 2] ?? 0) << 8) |
      (block[o + 3] ?? 0);
  }
  for (let j = 16; j < 68; j++) {
    const w3 = W[j - 3] ?? 0;
    const w13 = W[j - 13] ?? 0;
    W[j] = P1((W[j - 16] ?? 0) ^ (W[j - 9] ?? 0) ^ rotl(w3, 15)) ^ rotl(w13, 7) ^ (W[j - 6] ?? 0);
  }
  for (let j = 0; j < 64; j++) W1[j] = (W[j] ?? 0) ^ (W[j + 4] ?? 0);
  let a = v[0] ?? 0;
  let b = v[1] ?? 0;
  let c = v[2] ?? 0;
  let d = v[3] ?? 0;
  let e = v[4] ?? 0;
  let f = v[5] ?? 0;
  let g = v[6] ?? 0;
  let h = v[7] ?? 0;
  for (let j = 0; j < 64; j++) {
    const a12 = rotl(a, 12);
    const ss1 = rotl((a12 + e + (T_ROTATED[j] ?? 0)) | 0, 7);
    const ss2 = ss1 ^ a12;
    const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
    const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
    const tt1 = (ff + d + ss2 + (W1[j] ?? 0)) | 0;
    const tt2 = (gg + h + ss1 + (W[j] ?? 0)) | 0;
    d = c;
    c = rotl(b, 9);
    b = a;
    a = tt1;
    h = g;
    g = rotl(f, 19);
    f = e;
    e = P0(tt2);
  }
  v[0] = (v[0] ?? 0) ^ a;
  v[1] = (v[1] ?? 0) ^ b;
  v[2] = (v[2] ?? 0) ^ c;
  v[3] = (v[3] ?? 0) ^ d;
  v[4] = (v[4] ?? 0) ^ e;
  v[5] = (v[5] ?? 0) ^ f;
  v[6] = (v[6] ?? 0) ^ g;
  v[7] = (v[7] ?? 0) ^ h;
}

/** SM3 of the concatenation of `parts` (32 bytes). */
export function sm3(...parts: readonly Uint8Array[]): Uint8Array {
  const v = Int32Array.from(IV);
  let length = 0;
  for (const p of parts) length += p.length;
  // The message, a 1 bit, zeros to 448 mod 512, and the bit length as 64 bits (GB/T 32905 §5.2).
  const total = Math.ceil((length + 9) / 64) * 64;
  const padded = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    padded.set(p, at);
    at += p.length;
  }
  padded[length] = 0x80;
  const bits = length * 8;
  const view = new DataView(padded.buffer);
  view.setUint32(total - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(total - 4, bits >>> 0);
  for (let o = 0; o < total; o += 64) compress(v, padded, o);
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setInt32(i * 4, v[i] ?? 0);
  return out;
}
