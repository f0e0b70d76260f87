/**
 * The subset of CBOR (RFC 8949) that COSE and CWT need: definite-length items only, integer and text map keys,
 * no duplicate keys, at most 16 levels deep. Decoding is strict: anything else is YMT_ERR_CODE_CBOR.
 * Byte strings are returned as views into the input (no copy).
 */
import { CodecError } from './codec-error.ts';

export type CborKey = number | string;
export type CborValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | undefined
  | Uint8Array
  | CborValue[]
  | Map<CborKey, CborValue>
  | CborTagged;

export class CborTagged {
  constructor(
    readonly tag: number,
    readonly value: CborValue,
  ) {}
}

const MAX_DEPTH = 16;
const textDecoder = new TextDecoder('utf-8', { fatal: true });
const textEncoder = new TextEncoder();

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  fail(detail: string): never {
    throw new CodecError('YMT_ERR_CODE_CBOR', detail);
  }

  byte(): number {
    const b = this.bytes[this.pos];
    if (b === undefined) this.fail('unexpected end of data');
    this.pos++;
    return b;
  }

  /** The argument of a head (RFC 8949 §3): returns a number, or a bigint above 2^53 - 1. */
  argument(info: number): number | bigint {
    if (info < 24) return info;
    switch (info) {
      case 24:
        return this.byte();
      case 25:
        return this.byte() * 0x100 + this.byte();
      case 26:
        return ((this.byte() * 0x100 + this.byte()) * 0x100 + this.byte()) * 0x100 + this.byte();
      case 27: {
        const hi = ((this.byte() * 0x100 + this.byte()) * 0x100 + this.byte()) * 0x100 + this.byte();
        const lo = ((this.byte() * 0x100 + this.byte()) * 0x100 + this.byte()) * 0x100 + this.byte();
        if (hi < 0x200000) return hi * 0x100000000 + lo;
        return (BigInt(hi) << 32n) | BigInt(lo);
      }
      default:
        // 28–30 are reserved; 31 is indefinite length, outside our subset.
        return this.fail(`unsupported additional information ${info}`);
    }
  }

  length(info: number): number {
    const n = this.argument(info);
    if (typeof n === 'bigint' || n > this.bytes.length - this.pos) this.fail('length exceeds the data');
    return n;
  }

  item(depth: number): CborValue {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const initial = this.byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    switch (major) {
      case 0:
        return this.argument(info);
      case 1: {
        const n = this.argument(info);
        return typeof n === 'bigint' ? -1n - n : -1 - n;
      }
      case 2: {
        const len = this.length(info);
        const view = this.bytes.subarray(this.pos, this.pos + len);
        this.pos += len;
        return view;
      }
      case 3: {
        const len = this.length(info);
        const view = this.bytes.subarray(this.pos, this.pos + len);
        this.pos += len;
        try {
          return textDecoder.decode(view);
        } catch {
          return this.fail('text string is not valid UTF-8');
        }
      }
      case 4: {
        // Each item takes at least one byte, so a count above the remaining bytes is malformed.
        const count = this.length(info);
        const out: CborValue[] = new Array<CborValue>(count);
        for (let i = 0; i < count; i++) out[i] = this.item(depth + 1);
        return out;
      }
      case 5: {
        const count = this.length(info);
        const map = new Map<CborKey, CborValue>();
        for (let i = 0; i < count; i++) {
          const key = this.item(depth + 1);
          if (typeof key !== 'number' && typeof key !== 'string')
            this.fail('map key must be an integer or text');
          if (map.has(key)) this.fail('duplicate map key');
          map.set(key, this.item(depth + 1));
        }
        return map;
      }
      case 6: {
        const tag = this.argument(info);
        if (typeof tag === 'bigint') return this.fail('tag number too large');
        return new CborTagged(tag, this.item(depth + 1));
      }
      default:
        return this.simple(info);
    }
  }

  simple(info: number): CborValue {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 25:
        return this.float(2);
      case 26:
        return this.float(4);
      case 27:
        return this.float(8);
      default:
        return this.fail(`unsupported simple value ${info}`);
    }
  }

  float(size: 2 | 4 | 8): number {
    if (this.pos + size > this.bytes.length) this.fail('unexpected end of data');
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, size);
    this.pos += size;
    if (size === 4) return view.getFloat32(0);
    if (size === 8) return view.getFloat64(0);
    // RFC 8949 Appendix D: half-precision.
    const half = view.getUint16(0);
    const exp = (half >> 10) & 0x1f;
    const mant = half & 0x3ff;
    const sign = half & 0x8000 ? -1 : 1;
    if (exp === 0) return sign * mant * 2 ** -24;
    if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
    return sign * (mant + 1024) * 2 ** (exp - 25);
  }
}

/** Decodes exactly one CBOR item; trailing bytes are an error. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const reader = new Reader(bytes);
  const value = reader.item(0);
  if (reader.pos !== bytes.length) reader.fail('trailing bytes after the item');
  return value;
}

/**
 * A small, fast CBOR writer for the items we issue. It writes the preferred (shortest) serialisation of
 * every head, as RFC 8949 §4.2.1 (core deterministic encoding) asks.
 */
export class CborWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  head(major: number, value: number): this {
    this.ensure(9);
    const b = this.buf;
    const m = major << 5;
    if (value < 24) {
      b[this.pos++] = m | value;
    } else if (value < 0x100) {
      b[this.pos++] = m | 24;
      b[this.pos++] = value;
    } else if (value < 0x10000) {
      b[this.pos++] = m | 25;
      b[this.pos++] = value >>> 8;
      b[this.pos++] = value & 0xff;
    } else if (value < 0x100000000) {
      b[this.pos++] = m | 26;
      b[this.pos++] = value >>> 24;
      b[this.pos++] = (value >>> 16) & 0xff;
      b[this.pos++] = (value >>> 8) & 0xff;
      b[this.pos++] = value & 0xff;
    } else {
      const hi = Math.floor(value / 0x100000000);
      const lo = value >>> 0;
      b[this.pos++] = m | 27;
      for (let shift = 24; shift >= 0; shift -= 8) b[this.pos++] = (hi >>> shift) & 0xff;
      for (let shift = 24; shift >= 0; shift -= 8) b[this.pos++] = (lo >>> shift) & 0xff;
    }
    return this;
  }

  int(value: number): this {
    if (!Number.isSafeInteger(value)) throw new TypeError('CBOR int must be a safe integer');
    return value >= 0 ? this.head(0, value) : this.head(1, -1 - value);
  }

  bytes(value: Uint8Array): this {
    this.head(2, value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** Appends bytes that are already CBOR-encoded (or the content of a head written by the caller). */
  bytesRaw(value: Uint8Array): this {
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  text(value: string): this {
    const length = utf8Length(value);
    this.head(3, length);
    this.ensure(length);
    this.pos += textEncoder.encodeInto(value, this.buf.subarray(this.pos)).written;
    return this;
  }

  array(count: number): this {
    return this.head(4, count);
  }

  map(count: number): this {
    return this.head(5, count);
  }

  tag(tag: number): this {
    return this.head(6, tag);
  }

  simple(value: boolean | null | undefined): this {
    this.ensure(1);
    this.buf[this.pos++] = value === true ? 0xf5 : value === false ? 0xf4 : value === null ? 0xf6 : 0xf7;
    return this;
  }

  /** Writes any value that decodeCbor can return (floats excepted: we never issue them). */
  value(v: CborValue): this {
    if (typeof v === 'number') return this.int(v);
    if (typeof v === 'string') return this.text(v);
    if (typeof v === 'bigint') throw new TypeError('bigint is not written by this encoder');
    if (v instanceof Uint8Array) return this.bytes(v);
    if (v instanceof CborTagged) return this.tag(v.tag).value(v.value);
    if (Array.isArray(v)) {
      this.array(v.length);
      for (const item of v) this.value(item);
      return this;
    }
    if (v instanceof Map) {
      this.map(v.size);
      for (const [k, item] of v) this.value(k).value(item);
      return this;
    }
    return this.simple(v);
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** A view of what was written, valid until the next write or reset: for hot paths that reuse a writer. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  reset(): this {
    this.pos = 0;
    return this;
  }
}

/** UTF-8 length of a JavaScript string (lone surrogates count as U+FFFD, as TextEncoder writes them). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function encodeCbor(value: CborValue): Uint8Array {
  return new CborWriter().value(value).finish();
}
