/**
 * Reads the first QR code in RGBA pixels with jsQR. No Node-only dependency: the CLI verifier (through a PNG) and
 * the browser scanner (camera frames, pictures) share it.
 */
import jsqrDefault from 'jsqr';

// jsqr's typings merge the function with a namespace, which hides its call signature from TypeScript.
const jsQR = jsqrDefault as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'dontInvert' | 'onlyInvert' | 'attemptBoth' | 'invertFirst' },
) => { data: string } | null;

/** The QR text, or undefined when the pixels hold no readable QR code. Light-on-dark codes are tried too. */
export function qrFromPixels(rgba: Uint8ClampedArray, width: number, height: number): string | undefined {
  return jsQR(rgba, width, height, { inversionAttempts: 'attemptBoth' })?.data;
}
