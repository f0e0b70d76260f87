/**
 * PNG files built byte by byte for the image-bound tests: a valid header of any declared size, and the issue's
 * bomb.png — 20 000 × 20 000 grey pixels declared, their 400 MB of zeros deflated to ≈ 389 KB.
 */
import { createDeflate } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The signature and an IHDR chunk declaring this size (8-bit grey unless told). */
export function pngHead(width: number, height: number, bitDepth = 8, colourType = 0, interlace = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, colourType, 0, 0, interlace], 8);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr)]);
}

/** A complete PNG declaring width × height 8-bit grey pixels, all zero: small on disk, huge once decoded. */
export async function zeroPng(width: number, height: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (c: Buffer) => parts.push(c));
  const ended = new Promise((resolve) => deflate.on('end', resolve));
  const rows = 64;
  const zeros = Buffer.alloc((width + 1) * rows);
  for (let left = height; left > 0; left -= rows) {
    const n = Math.min(left, rows) * (width + 1);
    if (!deflate.write(zeros.subarray(0, n))) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  return Buffer.concat([
    pngHead(width, height),
    pngChunk('IDAT', Buffer.concat(parts)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}
