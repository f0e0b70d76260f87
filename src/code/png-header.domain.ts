/**
 * What a PNG says about itself before it is decoded (docs/code-format.md#images): the signature and the IHDR chunk,
 * which the PNG standard puts first — width, height, bit depth, colour type, interlacing. The QR reader looks here
 * first and refuses an image whose declared size a QR photo never needs, so a small file declaring 20 000 × 20 000
 * pixels (400 MB of pixels from a 389 KB run of compressed zeros) is refused before any memory is spent. Pure.
 */

/** Bounds of an image the QR reader decodes: about a 16-megapixel photo, 16 384 pixels on its longest side. */
export const QR_IMAGE_LIMITS = {
  /** 4096 × 4096: a phone's 12-megapixel photo fits; decoded as RGBA it is at most 64 MiB. */
  maxPixels: 4096 * 4096,
  maxSide: 16_384,
  /** The file itself: a QR photo as PNG is a few MiB at most. */
  maxFileBytes: 32 * 1024 * 1024,
} as const;

/** A text file holding a code: a code is under 1 KiB; a file over this is not one. */
export const CODE_TEXT_MAX_BYTES = 64 * 1024;

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colourType: number;
  readonly interlaced: boolean;
}

export type PngHeaderRead =
  { readonly ok: true; readonly header: PngHeader } | { readonly ok: false; readonly problem: string };

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** Bit depths each colour type allows (PNG §11.2.2). */
const DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

const u32 = (b: Uint8Array, at: number): number =>
  ((b[at] ?? 0) * 2 ** 24 + ((b[at + 1] ?? 0) << 16) + ((b[at + 2] ?? 0) << 8) + (b[at + 3] ?? 0)) >>> 0;

/** The header of a PNG, or why the bytes do not start one. Reads the first 29 bytes only. */
export function readPngHeader(bytes: Uint8Array): PngHeaderRead {
  if (bytes.length < 33) return { ok: false, problem: 'shorter than a PNG signature and header' };
  if (!SIGNATURE.every((v, i) => bytes[i] === v)) return { ok: false, problem: 'not a PNG signature' };
  if (u32(bytes, 8) !== 13) return { ok: false, problem: 'the first chunk is not a 13-byte IHDR' };
  const type = String.fromCharCode(bytes[12] ?? 0, bytes[13] ?? 0, bytes[14] ?? 0, bytes[15] ?? 0);
  if (type !== 'IHDR') return { ok: false, problem: 'the first chunk is not IHDR' };
  const width = u32(bytes, 16);
  const height = u32(bytes, 20);
  const [bitDepth = 0, colourType = 0, compression, filter, interlace] = bytes.subarray(24, 29);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff)
    return { ok: false, problem: 'width and height must be 1 to 2^31 - 1' };
  if (!(DEPTHS[colourType] ?? []).includes(bitDepth))
    return { ok: false, problem: `bit depth ${bitDepth} is not allowed with colour type ${colourType}` };
  if (compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1))
    return { ok: false, problem: 'unknown compression, filter or interlace method' };
  return { ok: true, header: { width, height, bitDepth, colourType, interlaced: interlace === 1 } };
}

/** Why the QR reader will not decode this PNG (before decoding it), or undefined when it may. */
export function qrImageRefusal(
  bytes: Uint8Array,
): 'YMT_ERR_FILE_TOO_LARGE' | 'YMT_ERR_IMAGE_TOO_LARGE' | 'YMT_ERR_QR_UNREADABLE' | undefined {
  if (bytes.length > QR_IMAGE_LIMITS.maxFileBytes) return 'YMT_ERR_FILE_TOO_LARGE';
  const read = readPngHeader(bytes);
  if (!read.ok) return 'YMT_ERR_QR_UNREADABLE';
  return imageTooLarge(read.header) ? 'YMT_ERR_IMAGE_TOO_LARGE' : undefined;
}

export function imageTooLarge({ width, height }: { width: number; height: number }): boolean {
  return (
    width > QR_IMAGE_LIMITS.maxSide ||
    height > QR_IMAGE_LIMITS.maxSide ||
    width * height > QR_IMAGE_LIMITS.maxPixels
  );
}
