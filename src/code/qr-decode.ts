/** Reading a QR code back out of a PNG image (the CLI verifier, and tests of what the hub renders). */
import jsqrDefault from 'jsqr';
import { PNG } from 'pngjs';

// jsqr's typings merge the function with a namespace, which hides its call signature from TypeScript.
const jsQR = jsqrDefault as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

/** The QR text in a PNG image; undefined when the bytes are not a PNG or hold no readable QR code. */
export function readQrFromPng(bytes: Uint8Array): string | undefined {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch {
    return undefined;
  }
  const found = jsQR(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  return found?.data;
}
