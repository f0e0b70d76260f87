/**
 * Reading a QR code back out of a PNG image (the CLI verifier, and tests of what the hub renders). The PNG's
 * declared size is checked before anything is decoded (png-header.domain.ts): a decompression bomb is refused
 * with YMT_ERR_IMAGE_TOO_LARGE, not decoded.
 */
import { PNG } from 'pngjs';
import { qrImageRefusal } from './png-header.domain.ts';
import { qrFromPixels } from './qr-pixels.ts';

export type QrImageRead =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      readonly error: 'YMT_ERR_FILE_TOO_LARGE' | 'YMT_ERR_IMAGE_TOO_LARGE' | 'YMT_ERR_QR_UNREADABLE';
    };

/** The QR text in a PNG image, or why there is none: too large to decode, not a PNG, or no readable QR code. */
export function decodeQrPng(bytes: Uint8Array): QrImageRead {
  const refusal = qrImageRefusal(bytes);
  if (refusal !== undefined) return { ok: false, error: refusal };
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch {
    return { ok: false, error: 'YMT_ERR_QR_UNREADABLE' };
  }
  const text = qrFromPixels(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  return text === undefined ? { ok: false, error: 'YMT_ERR_QR_UNREADABLE' } : { ok: true, text };
}

/** The QR text in a PNG image; undefined when the bytes are not a PNG (within the bounds) or hold no QR code. */
export function readQrFromPng(bytes: Uint8Array): string | undefined {
  const r = decodeQrPng(bytes);
  return r.ok ? r.text : undefined;
}
