/**
 * The PNG header reader and the QR image bounds (src/code/png-header.domain.ts, src/code/qr-decode.ts): fuzzed with
 * arbitrary bytes, damaged real QR images and every declared size; a bomb is refused before decoding.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  imageTooLarge,
  QR_IMAGE_LIMITS,
  qrImageRefusal,
  readPngHeader,
} from '../../src/code/png-header.domain.ts';
import { decodeQrPng } from '../../src/code/qr-decode.ts';
import { renderPng } from '../../src/code/qr.ts';
import { pngHead, zeroPng } from '../helpers/png-bomb.ts';

const REFUSALS = ['YMT_ERR_FILE_TOO_LARGE', 'YMT_ERR_IMAGE_TOO_LARGE', 'YMT_ERR_QR_UNREADABLE'];
const side = fc.integer({ min: 1, max: 0x7fffffff });
const depthAndType = fc.constantFrom(
  ...[
    [1, 0],
    [2, 0],
    [4, 0],
    [8, 0],
    [16, 0],
    [8, 2],
    [16, 2],
    [1, 3],
    [2, 3],
    [4, 3],
    [8, 3],
    [8, 4],
    [16, 4],
    [8, 6],
    [16, 6],
  ],
);

test('property: the header reader reads back any valid header, whatever follows it', () => {
  fc.assert(
    fc.property(
      side,
      side,
      depthAndType,
      fc.boolean(),
      fc.uint8Array({ maxLength: 64 }),
      (w, h, [d = 8, t = 0], i, tail) => {
        const r = readPngHeader(Buffer.concat([pngHead(w, h, d, t, i ? 1 : 0), tail]));
        assert.deepEqual(r, {
          ok: true,
          header: { width: w, height: h, bitDepth: d, colourType: t, interlaced: i },
        });
      },
    ),
  );
});

test('property: arbitrary bytes are read or refused with a reason, never thrown', () => {
  const damaged = fc
    .tuple(side, side, fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 255 }))
    .map(([w, h, at, v]) => {
      const b = pngHead(w, h);
      b[at] = v;
      return b;
    });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), damaged), (bytes) => {
      const r = readPngHeader(bytes);
      if (r.ok) {
        assert.ok(r.header.width >= 1 && r.header.height >= 1);
        assert.equal(qrImageRefusal(bytes) === 'YMT_ERR_IMAGE_TOO_LARGE', imageTooLarge(r.header));
      } else assert.ok(r.problem.length > 0);
      assert.ok([undefined, ...REFUSALS].includes(qrImageRefusal(bytes)));
    }),
    { numRuns: 5000 },
  );
});

test('property: a declared size over the bound is refused before decoding, within it is not', () => {
  fc.assert(
    fc.property(side, side, (w, h) => {
      const over =
        w > QR_IMAGE_LIMITS.maxSide || h > QR_IMAGE_LIMITS.maxSide || w * h > QR_IMAGE_LIMITS.maxPixels;
      const bytes = pngHead(w, h);
      assert.equal(qrImageRefusal(bytes), over ? 'YMT_ERR_IMAGE_TOO_LARGE' : undefined);
      if (over) assert.deepEqual(decodeQrPng(bytes), { ok: false, error: 'YMT_ERR_IMAGE_TOO_LARGE' });
    }),
  );
  assert.equal(qrImageRefusal(pngHead(4096, 4096)), undefined);
  assert.equal(qrImageRefusal(pngHead(4097, 4096)), 'YMT_ERR_IMAGE_TOO_LARGE');
  assert.equal(qrImageRefusal(pngHead(16_384, 1024)), undefined);
  assert.equal(qrImageRefusal(pngHead(16_385, 1)), 'YMT_ERR_IMAGE_TOO_LARGE');
});

test('the bomb of the issue (20 000 × 20 000 declared, ≈ 389 KB) is refused from its header', async () => {
  const bomb = await zeroPng(20_000, 20_000);
  assert.ok(bomb.length < 400_000, String(bomb.length));
  assert.deepEqual(decodeQrPng(bomb), { ok: false, error: 'YMT_ERR_IMAGE_TOO_LARGE' });
  const big = Buffer.concat([pngHead(100, 100), Buffer.alloc(QR_IMAGE_LIMITS.maxFileBytes)]);
  assert.deepEqual(decodeQrPng(big), { ok: false, error: 'YMT_ERR_FILE_TOO_LARGE' });
});

test('property: a damaged real QR image is decoded or refused with a coded error, never thrown', async () => {
  const png = await renderPng('YMT1:6BFOXN*TS0BI$ZDFRH');
  assert.deepEqual(decodeQrPng(png), { ok: true, text: 'YMT1:6BFOXN*TS0BI$ZDFRH' });
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat({ max: png.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      }),
      fc.option(fc.nat({ max: png.length }), { nil: undefined }),
      (edits, cut) => {
        const b = Buffer.from(png);
        for (const [at, v] of edits) b[at] = v;
        const r = decodeQrPng(cut === undefined ? b : b.subarray(0, cut));
        assert.ok(r.ok || REFUSALS.includes(r.error));
      },
    ),
    { numRuns: 300 },
  );
});
