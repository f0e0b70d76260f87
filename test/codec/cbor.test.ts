import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CborTagged, decodeCbor, encodeCbor, type CborValue } from '../../src/codec/cbor.ts';
import { CodecError } from '../../src/codec/codec-error.ts';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

test('RFC 8949 Appendix A examples decode', () => {
  const cases: [string, CborValue][] = [
    ['00', 0],
    ['17', 23],
    ['1818', 24],
    ['1903e8', 1000],
    ['1a000f4240', 1000000],
    ['1b000000e8d4a51000', 1000000000000],
    ['1bffffffffffffffff', 18446744073709551615n],
    ['20', -1],
    ['3863', -100],
    ['f90000', 0],
    ['f93c00', 1],
    ['f97bff', 65504],
    ['fa47c35000', 100000],
    ['fb3ff199999999999a', 1.1],
    ['f4', false],
    ['f5', true],
    ['f6', null],
    ['f7', undefined],
    ['40', new Uint8Array(0)],
    ['4401020304', hex('01020304')],
    ['60', ''],
    ['6449455446', 'IETF'],
    ['62c3bc', 'ü'],
    ['83010203', [1, 2, 3]],
    ['8301820203820405', [1, [2, 3], [4, 5]]],
    [
      'a201020304',
      new Map([
        [1, 2],
        [3, 4],
      ]),
    ],
    [
      'a26161016162820203',
      new Map<string | number, CborValue>([
        ['a', 1],
        ['b', [2, 3]],
      ]),
    ],
    ['c11a514b67b0', new CborTagged(1, 1363896240)],
  ];
  for (const [h, expected] of cases) assert.deepEqual(decodeCbor(hex(h)), expected, h);
});

function codeOf(bytes: Uint8Array): string {
  try {
    decodeCbor(bytes);
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof CodecError, String(e));
    return e.code;
  }
}

test('malformed and out-of-profile CBOR is a coded error', () => {
  for (const h of [
    '', // nothing
    '18', // missing argument
    '0000', // trailing bytes
    '5f', // indefinite byte string
    '9f01ff', // indefinite array
    '62c3', // text shorter than its length
    '62c328', // invalid UTF-8
    'a20102 0103'.replace(' ', ''), // duplicate key
    'a1f501', // boolean key
    '1c', // reserved additional information
    'f8', // simple value with 1-byte argument
    '9b0000000100000000', // array count beyond the data
  ]) {
    assert.equal(codeOf(hex(h)), 'YMT_ERR_CODE_CBOR', h);
  }
  assert.equal(codeOf(hex('81'.repeat(40) + '00')), 'YMT_ERR_CODE_CBOR', 'too deep');
});

const cborValue = fc.letrec<{ value: CborValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.maxSafeInteger(),
    fc.string(),
    fc.uint8Array({ maxLength: 40 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .uniqueArray(fc.tuple(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), tie('value')), {
        maxLength: 4,
        selector: ([k]) => k,
      })
      .map((entries) => new Map(entries)),
  ),
})).value;

test('property: what we encode, we decode to the same value', () => {
  fc.assert(
    fc.property(cborValue, (v) => {
      assert.deepEqual(decodeCbor(encodeCbor(v)), v);
    }),
  );
});

test('property: random bytes never crash the decoder', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const code = codeOf(bytes);
      assert.ok(code === 'ok' || code === 'YMT_ERR_CODE_CBOR');
    }),
  );
});
