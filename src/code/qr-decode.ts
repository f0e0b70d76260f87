/** Reading a QR code back out of a PNG image (the CLI verifier, and tests of what the hub renders). */
import { PNG } from 'pngjs';
import { qrFromPixels } from './qr-pixels.ts';

/** The QR text in a PNG image; undefined when the bytes are not a PNG or hold no readable QR code. */
export function readQrFromPng(bytes: Uint8Array): string | undefined {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch {
    return undefined;
  }
  return qrFromPixels(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
}
