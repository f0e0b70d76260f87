import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { test } from 'node:test';
import { base45Decode } from '../../src/codec/base45.ts';
import { decodeCbor } from '../../src/codec/cbor.ts';
import { sigStructure } from '../../src/codec/cose.ts';
import { encodeClaims, signCode, YMT_PREFIX } from '../../src/codec/token.ts';
import { claims, makeKey } from '../helpers/codec-fixtures.ts';

const EXAMPLE = claims({
  iss: 'CN',
  iat: 1795780800,
  cti: Uint8Array.from(Buffer.from('00112233445566778899aabbccddeeff', 'hex')),
  colour: 'green',
  maskedName: '张*三',
});
// The annotated example of docs/code-format.md.
const EXAMPLE_CLAIMS_HEX =
  'a50162434e041a6b097444061a6b0970c0075000112233445566778899aabbccddeeff3a00010000a201000267e5bca02ae4b889';

test('the claims encode exactly as docs/code-format.md shows', () => {
  assert.equal(Buffer.from(encodeClaims(EXAMPLE)).toString('hex'), EXAMPLE_CLAIMS_HEX);
});

test('a token is the documented COSE_Sign1 layout with a valid raw r‖s signature', () => {
  const key = makeKey();
  const text = signCode(EXAMPLE, key.signer);
  assert.ok(text.startsWith(YMT_PREFIX));
  const bytes = base45Decode(text.slice(YMT_PREFIX.length));
  assert.ok(bytes);
  const hex = Buffer.from(bytes).toString('hex');
  const protectedHex = `a201260448${Buffer.from(key.kid).toString('hex')}`;
  assert.equal(hex.slice(0, 2 * (3 + 13 + 3)), `d2844d${protectedHex}a05834`);
  assert.equal(hex.slice(38, 38 + EXAMPLE_CLAIMS_HEX.length), EXAMPLE_CLAIMS_HEX);
  assert.equal(hex.slice(38 + EXAMPLE_CLAIMS_HEX.length, 38 + EXAMPLE_CLAIMS_HEX.length + 4), '5840');
  assert.equal(bytes.length, 137);
  const signature = bytes.subarray(bytes.length - 64);
  const signed = sigStructure(key.signer.protectedHeader, Buffer.from(EXAMPLE_CLAIMS_HEX, 'hex'));
  assert.ok(verify('sha256', signed, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }, signature));
});

test('reused buffers: consecutive tokens are independent, and long names grow the buffers', () => {
  const key = makeKey();
  const first = signCode(EXAMPLE, key.signer);
  const long = signCode({ ...EXAMPLE, maskedName: '阿*'.repeat(200) }, key.signer);
  const again = signCode(EXAMPLE, key.signer);
  assert.ok(long.length > 1000);
  const decode = (t: string) => decodeCbor(base45Decode(t.slice(YMT_PREFIX.length)) ?? new Uint8Array());
  // Same claims, so the same structure up to the (randomised) ECDSA signature.
  const a = decode(first);
  const b = decode(again);
  assert.deepEqual(
    JSON.stringify(a, (_, v: unknown) => (v instanceof Uint8Array ? v.length : v)),
    JSON.stringify(b, (_, v: unknown) => (v instanceof Uint8Array ? v.length : v)),
  );
  assert.throws(() => signCode({ ...EXAMPLE, exp: EXAMPLE.iat + 60 }, key.signer), TypeError);
});
