/**
 * Base45 (RFC 9285). Every two bytes become three characters of the QR alphanumeric set, so a QR code in
 * alphanumeric mode stores them at 5.5 bits a character.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

// WHATWG "latin1" is windows-1252, identical to ASCII for the 45 characters we write.
const ascii = new TextDecoder('latin1');
let scratch = new Uint8Array(512);

export function base45Encode(bytes: Uint8Array): string {
  const n = bytes.length;
  const size = Math.floor(n / 2) * 3 + (n % 2) * 2;
  if (scratch.length < size) scratch = new Uint8Array(size);
  const out = scratch;
  let o = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    // RFC 9285 §4: (a, b) -> n = a*256 + b = c + d*45 + e*45*45, written as c d e.
    let v = (bytes[i] ?? 0) * 256 + (bytes[i + 1] ?? 0);
    const c = v % 45;
    v = (v - c) / 45;
    const d = v % 45;
    out[o++] = ENCODE[c] ?? 0;
    out[o++] = ENCODE[d] ?? 0;
    out[o++] = ENCODE[(v - d) / 45] ?? 0;
  }
  if (i < n) {
    const v = bytes[i] ?? 0;
    out[o++] = ENCODE[v % 45] ?? 0;
    out[o++] = ENCODE[Math.floor(v / 45)] ?? 0;
  }
  return ascii.decode(out.subarray(0, o));
}

function digit(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code < 128 ? (DECODE[code] ?? -1) : -1;
}

/** Returns undefined for any text that is not valid base45 (bad character, bad length, value out of range). */
export function base45Decode(text: string): Uint8Array | undefined {
  const n = text.length;
  // RFC 9285 §4.3: a length of 1 modulo 3 cannot come from any byte string.
  if (n % 3 === 1) return undefined;
  const out = new Uint8Array(Math.floor(n / 3) * 2 + (n % 3 === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const c = digit(text, i);
    const d = digit(text, i + 1);
    const e = digit(text, i + 2);
    if (c < 0 || d < 0 || e < 0) return undefined;
    const v = c + d * 45 + e * 2025;
    // RFC 9285 §6: a triple above 65535 is invalid.
    if (v > 0xffff) return undefined;
    out[o++] = v >> 8;
    out[o++] = v & 0xff;
  }
  if (i < n) {
    const c = digit(text, i);
    const d = digit(text, i + 1);
    if (c < 0 || d < 0) return undefined;
    const v = c + d * 45;
    if (v > 0xff) return undefined;
    out[o++] = v;
  }
  return out;
}
