/**
 * Every codec parser that takes outside input (issue 17: property tests on every parser): arbitrary bytes or text
 * are either parsed or refused with the codec's coded error (CodecError, or a result naming a code), never another
 * exception. Base45 and CBOR have their own properties in base45.test.ts and cbor.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { base45Encode } from '../../src/codec/base45.ts';
import { base64urlDecode } from '../../src/codec/base64url.ts';
import { CborTagged, encodeCbor, type CborValue } from '../../src/codec/cbor.ts';
import { CodecError } from '../../src/codec/codec-error.ts';
import { decodeCoseSign1 } from '../../src/codec/cose.ts';
import { decodeCwtClaims } from '../../src/codec/cwt.ts';
import { decodeCodeText, parseCodeClaims, YMT_PREFIX } from '../../src/codec/token.ts';
import { loadTrustList } from '../../src/codec/trust-list.ts';
import { verifyCode } from '../../src/codec/verify.ts';
import { nodeCryptoProvider } from '../../src/signing/node-crypto.ts';
import { makeKey, T0, token, trustListDoc } from '../helpers/codec-fixtures.ts';

/** Parsed, or refused with a CodecError: anything else thrown fails the property. */
function parsedOrCoded(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CodecError, `not a CodecError: ${String(e)}`);
    assert.match(e.code, /^YMT_ERR_(CODE|TRUST_LIST)_/);
  }
}

/** CBOR values of the profile, tags included: what a forger can encode to reach the parsers behind CBOR. */
const cbor = fc.letrec<{ value: CborValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.string({ maxLength: 8 }),
    fc.uint8Array({ maxLength: 24 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc
      .uniqueArray(fc.tuple(fc.integer({ min: -70_000, max: 10 }), tie('value')), {
        maxLength: 5,
        selector: ([k]) => k,
      })
      .map((entries) => new Map(entries)),
    fc.tuple(fc.constantFrom(18, 61, 0, 1), tie('value')).map(([tag, v]) => new CborTagged(tag, v)),
  ),
})).value;
const cborBytes = fc.oneof(
  fc.uint8Array({ maxLength: 80 }),
  cbor.map((v) => encodeCbor(v)),
);

test('property: COSE_Sign1 and CWT claims from any bytes: parsed or a coded error', () => {
  fc.assert(
    fc.property(cborBytes, (bytes) => {
      parsedOrCoded(() => decodeCoseSign1(bytes));
      parsedOrCoded(() => parseCodeClaims(decodeCwtClaims(bytes)));
    }),
    { numRuns: 3000 },
  );
});

test('property: the QR text from any string: its bytes or a coded error; base64url: bytes or undefined', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 80, unit: 'binary' }),
        fc.string({ maxLength: 80 }).map((s) => YMT_PREFIX + s),
        cborBytes.map((b) => YMT_PREFIX + base45Encode(b)),
      ),
      (text) => {
        parsedOrCoded(() => decodeCodeText(text));
        const b = base64urlDecode(text);
        assert.ok(b === undefined || b instanceof Uint8Array);
      },
    ),
    { numRuns: 3000 },
  );
});

test('property: verifyCode answers every string with a result, valid or a coded error, never a throw', async () => {
  const key = makeKey();
  const anchor = makeKey();
  const loaded = await loadTrustList(
    trustListDoc(anchor, [{ key }]),
    { ...anchor.jwk, kid: anchor.kidText },
    T0,
    nodeCryptoProvider,
  );
  assert.ok(loaded.ok);
  const valid = token(key);
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.string({ maxLength: 120, unit: 'binary' }),
        cborBytes.map((b) => YMT_PREFIX + base45Encode(b)),
        cbor.map((v) => YMT_PREFIX + base45Encode(encodeCbor(new CborTagged(18, v)))),
        fc
          .tuple(fc.nat({ max: valid.length - 1 }), fc.string({ minLength: 1, maxLength: 3 }))
          .map(([at, s]) => valid.slice(0, at) + s + valid.slice(at + 1)),
      ),
      async (text) => {
        const r = await verifyCode(text, loaded.trustList, T0, {
          crypto: nodeCryptoProvider,
          skewSeconds: 60,
        });
        if (!r.valid) assert.match(r.error, /^YMT_ERR_/);
      },
    ),
    { numRuns: 1500 },
  );
});

const json = fc.jsonValue({ maxDepth: 3 });

test('property: a trust list from any JSON, or a damaged real one: loaded or a coded error', async () => {
  const anchor = makeKey();
  const doc = trustListDoc(anchor, [{ key: makeKey() }]) as unknown as Record<string, unknown>;
  const pinned = { ...anchor.jwk, kid: anchor.kidText };
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        json,
        fc.tuple(fc.constantFrom(...Object.keys(doc)), json).map(([k, v]) => ({ ...doc, [k]: v })),
        fc
          .dictionary(fc.string({ maxLength: 10 }), json, { maxKeys: 6 })
          .map((extra) => ({ ...extra, ...doc })),
      ),
      async (d) => {
        const r = await loadTrustList(d, pinned, T0, nodeCryptoProvider);
        if (!r.ok) assert.match(r.error, /^YMT_ERR_TRUST_LIST_/);
      },
    ),
    { numRuns: 1000 },
  );
});
