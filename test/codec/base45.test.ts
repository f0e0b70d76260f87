import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { base45Decode, base45Encode } from '../../src/codec/base45.ts';
import { base64urlDecode, base64urlEncode } from '../../src/codec/base64url.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

test('RFC 9285 §4.3 examples', () => {
  assert.equal(base45Encode(utf8('AB')), 'BB8');
  assert.equal(base45Encode(utf8('Hello!!')), '%69 VD92EX0');
  assert.equal(base45Encode(utf8('base-45')), 'UJCLQE7W581');
  assert.deepEqual(base45Decode('QED8WEX0'), utf8('ietf!'));
});

test('invalid base45 is refused', () => {
  assert.equal(base45Decode('GGW'), undefined, 'a triple above 65535');
  assert.equal(base45Decode('A'), undefined, 'a length of 1 modulo 3');
  assert.equal(base45Decode('ab'), undefined, 'lower case');
  assert.equal(base45Decode('A#B'), undefined, 'not in the alphabet');
  assert.equal(base45Decode('::'), undefined, 'a pair above 255');
  assert.equal(base45Decode('中文中'), undefined);
  assert.deepEqual(base45Decode(''), new Uint8Array(0));
});

test('property: base45 round-trips any bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      assert.deepEqual(base45Decode(base45Encode(bytes)), bytes);
    }),
  );
});

test('property: base64url round-trips and matches Node', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      const text = base64urlEncode(bytes);
      assert.equal(text, Buffer.from(bytes).toString('base64url'));
      assert.deepEqual(base64urlDecode(text), bytes);
    }),
  );
  assert.equal(base64urlDecode('ab+c'), undefined);
  assert.equal(base64urlDecode('abcde'), undefined);
  assert.equal(base64urlDecode('AB'), undefined, 'non-zero leftover bits');
});
