import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { sm3 } from '../../src/codec/sm3.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const text = (s: string) => new TextEncoder().encode(s);

test('SM3 gives the digests of GB/T 32905-2016, Appendix A', () => {
  // A.1: "abc"; A.2: the 512-bit message "abcd" × 16.
  assert.equal(hex(sm3(text('abc'))), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(
    hex(sm3(text('abcd'.repeat(16)))),
    'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
  );
});

test("SM3 agrees with OpenSSL's (node:crypto) on any message, however it is split into parts", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (message, cut) => {
      const at = Math.min(cut, message.length);
      const expected = createHash('sm3').update(message).digest('hex');
      assert.equal(hex(sm3(message)), expected);
      assert.equal(hex(sm3(message.subarray(0, at), message.subarray(at))), expected);
    }),
    { numRuns: 300 },
  );
});
