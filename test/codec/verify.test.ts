import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { base45Decode, base45Encode } from '../../src/codec/base45.ts';
import { encodeCbor, type CborKey, type CborValue } from '../../src/codec/cbor.ts';
import { CWT_TAG, COSE_SIGN1_TAG } from '../../src/codec/cose.ts';
import { CODE_LIFETIME_SECONDS, YMT_PREFIX } from '../../src/codec/token.ts';
import { verifyCode, type VerifyResult } from '../../src/codec/verify.ts';
import { webCryptoProvider } from '../../src/codec/webcrypto.ts';
import { isErrorCode } from '../../src/errors/registry.ts';
import { qrVersion } from '../../src/code/qr.ts';
import { nodeCryptoProvider } from '../../src/signing/node-crypto.ts';
import {
  claims,
  customToken,
  makeKey,
  T0,
  token,
  trustList,
  ymtClaimsMap,
} from '../helpers/codec-fixtures.ts';

const anchor = makeKey();
const issuer = makeKey();
const stranger = makeKey();
const list = await trustList(anchor, [{ key: issuer }]);
const opts = { crypto: nodeCryptoProvider };
const iat = Math.floor(T0 / 1000);

function errorOf(r: VerifyResult): string {
  return r.valid ? 'valid' : r.error;
}

describe('a valid code', () => {
  test('verifies to colour, masked name, issuer and expiry', async () => {
    const r = await verifyCode(token(issuer, { colour: 'yellow' }), list, T0, opts);
    assert.ok(r.valid);
    assert.equal(r.colour, 'yellow');
    assert.equal(r.maskedName, '张*三');
    assert.equal(r.issuer, 'CN');
    assert.equal(r.issuedAt.getTime(), iat * 1000);
    assert.equal(r.expiresAt.getTime(), (iat + CODE_LIFETIME_SECONDS) * 1000);
    assert.equal(r.kid, issuer.kidText);
  });

  test('verifies through WebCrypto as in the browser scanner', async () => {
    const webList = await trustList(anchor, [{ key: issuer }], { crypto: webCryptoProvider() });
    const r = await verifyCode(token(issuer), webList, T0, { crypto: webCryptoProvider() });
    assert.equal(errorOf(r), 'valid');
    const bad = await verifyCode(token(stranger), webList, T0, { crypto: webCryptoProvider() });
    assert.equal(errorOf(bad), 'YMT_ERR_CODE_KID_UNKNOWN');
  });

  test('is about 200 characters and fits a QR code of version ≤ 9 at level M', async () => {
    const text = token(issuer);
    assert.ok(text.length >= 190 && text.length <= 230, `length ${text.length}`);
    assert.ok((await qrVersion(text)) <= 9, `version ${await qrVersion(text)}`);
    const long = token(issuer, { maskedName: 'J*** S**** W********' });
    assert.ok((await qrVersion(long)) <= 9, `version ${await qrVersion(long)} for ${long.length} characters`);
  });

  test('carries no personal detail beyond the masked name', () => {
    const bytes = base45Decode(token(issuer, { maskedName: '张*三' }).slice(YMT_PREFIX.length));
    assert.ok(bytes);
    assert.ok(!Buffer.from(bytes).includes(Buffer.from('张小三')));
  });

  test('is accepted with a CWT tag around the COSE tag (EU DCC CO28)', async () => {
    const c = claims();
    const protectedHeader = new Map<CborKey, CborValue>([
      [1, -7],
      [4, issuer.kid],
    ]);
    const text = customToken(issuer, protectedHeader, ymtClaimsMap(c), { tags: [CWT_TAG, COSE_SIGN1_TAG] });
    assert.equal(errorOf(await verifyCode(text, list, T0, opts)), 'valid');
  });
});

describe('every failure has its code', () => {
  const ph = new Map<CborKey, CborValue>([
    [1, -7],
    [4, issuer.kid],
  ]);
  const cases: [string, () => string, string][] = [
    ['wrong prefix', () => `HC1:${token(issuer).slice(5)}`, 'YMT_ERR_CODE_PREFIX'],
    ['no prefix', () => token(issuer).slice(5), 'YMT_ERR_CODE_PREFIX'],
    ['bad base45', () => `${YMT_PREFIX}abc`, 'YMT_ERR_CODE_BASE45'],
    ['malformed CBOR', () => YMT_PREFIX + base45Encode(Uint8Array.of(0xff)), 'YMT_ERR_CODE_CBOR'],
    ['not a COSE_Sign1', () => YMT_PREFIX + base45Encode(encodeCbor([1, 2])), 'YMT_ERR_CODE_COSE'],
    ['wrong tag', () => customToken(issuer, ph, ymtClaimsMap(claims()), { tags: [17] }), 'YMT_ERR_CODE_COSE'],
    [
      'algorithm not allowed (ES384)',
      () =>
        customToken(
          issuer,
          new Map<CborKey, CborValue>([
            [1, -35],
            [4, issuer.kid],
          ]),
          ymtClaimsMap(claims()),
        ),
      'YMT_ERR_CODE_ALGORITHM',
    ],
    [
      'algorithm known but not allowed (PS256)',
      () =>
        customToken(
          issuer,
          new Map<CborKey, CborValue>([
            [1, -37],
            [4, issuer.kid],
          ]),
          ymtClaimsMap(claims()),
        ),
      'YMT_ERR_CODE_ALGORITHM',
    ],
    [
      'no algorithm',
      () => customToken(issuer, new Map<CborKey, CborValue>([[4, issuer.kid]]), ymtClaimsMap(claims())),
      'YMT_ERR_CODE_ALGORITHM',
    ],
    ['unknown kid', () => token(stranger), 'YMT_ERR_CODE_KID_UNKNOWN'],
    [
      'kid of 4 bytes',
      () =>
        customToken(
          issuer,
          new Map<CborKey, CborValue>([
            [1, -7],
            [4, issuer.kid.subarray(0, 4)],
          ]),
          ymtClaimsMap(claims()),
        ),
      'YMT_ERR_CODE_KID_UNKNOWN',
    ],
    [
      'bad signature',
      () =>
        customToken(issuer, ph, ymtClaimsMap(claims()), {
          signature: (s) => s.map((b, i) => (i === 10 ? b ^ 1 : b)),
        }),
      'YMT_ERR_CODE_SIGNATURE',
    ],
    [
      'signature longer than 70 bytes (EU DCC CO24)',
      () => customToken(issuer, ph, ymtClaimsMap(claims()), { signature: () => new Uint8Array(72).fill(7) }),
      'YMT_ERR_CODE_SIGNATURE',
    ],
    [
      'signed by another key under our kid',
      () => customToken(stranger, ph, ymtClaimsMap(claims())),
      'YMT_ERR_CODE_SIGNATURE',
    ],
    [
      'claims missing the Yimatong claim',
      () =>
        customToken(
          issuer,
          ph,
          new Map<CborKey, CborValue>([
            [1, 'CN'],
            [4, iat + 900],
            [6, iat],
            [7, new Uint8Array(16)],
          ]),
        ),
      'YMT_ERR_CODE_CLAIMS',
    ],
    ['claims that are not a map', () => customToken(issuer, ph, 'hello'), 'YMT_ERR_CODE_CLAIMS'],
    [
      'unknown colour',
      () => {
        const m = ymtClaimsMap(claims());
        m.set(
          -65537,
          new Map<CborKey, CborValue>([
            [1, 7],
            [2, '张*'],
          ]),
        );
        return customToken(issuer, ph, m);
      },
      'YMT_ERR_CODE_CLAIMS',
    ],
    ['issuer not matching its key', () => token(issuer, { iss: '440000' }), 'YMT_ERR_CODE_ISSUER_MISMATCH'],
  ];
  for (const [name, make, code] of cases) {
    test(name, async () => {
      assert.equal(errorOf(await verifyCode(make(), list, T0, opts)), code);
    });
  }
});

describe('time', () => {
  const text = token(issuer);
  const exp = (iat + CODE_LIFETIME_SECONDS) * 1000;

  test('expired once exp plus the clock skew has passed', async () => {
    assert.equal(errorOf(await verifyCode(text, list, exp + 59_000, opts)), 'valid');
    assert.equal(errorOf(await verifyCode(text, list, exp + 61_000, opts)), 'YMT_ERR_CODE_EXPIRED');
  });

  test('not yet valid when issued more than the skew in the future', async () => {
    assert.equal(errorOf(await verifyCode(text, list, iat * 1000 - 59_000, opts)), 'valid');
    assert.equal(
      errorOf(await verifyCode(text, list, iat * 1000 - 61_000, opts)),
      'YMT_ERR_CODE_NOT_YET_VALID',
    );
  });

  test('the skew is configurable', async () => {
    const strict = { ...opts, skewSeconds: 0 };
    assert.equal(errorOf(await verifyCode(text, list, exp + 1000, strict)), 'YMT_ERR_CODE_EXPIRED');
    assert.equal(
      errorOf(await verifyCode(text, list, iat * 1000 - 1000, strict)),
      'YMT_ERR_CODE_NOT_YET_VALID',
    );
    const lax = { ...opts, skewSeconds: 300 };
    assert.equal(errorOf(await verifyCode(text, list, exp + 200_000, lax)), 'valid');
  });

  test('a key verifies only codes issued in its window, and nothing after its notAfter', async () => {
    const windowed = await trustList(anchor, [{ key: issuer, notBefore: T0 + 3600_000 }]);
    assert.equal(errorOf(await verifyCode(text, windowed, T0, opts)), 'YMT_ERR_CODE_KEY_OUT_OF_WINDOW');
    const retired = await trustList(anchor, [{ key: issuer, notAfter: T0 + 60_000 }]);
    assert.equal(errorOf(await verifyCode(text, retired, T0 + 30_000, opts)), 'valid');
    assert.equal(
      errorOf(await verifyCode(text, retired, T0 + 90_000, opts)),
      'YMT_ERR_CODE_KEY_OUT_OF_WINDOW',
    );
  });

  test('an expired trust list verifies nothing', async () => {
    assert.equal(
      errorOf(await verifyCode(text, list, T0 + 8 * 86400_000, opts)),
      'YMT_ERR_TRUST_LIST_EXPIRED',
    );
  });
});

describe('property: any mutation of a valid token is rejected with a coded error, never an exception', () => {
  const valid = token(issuer);
  const body = base45Decode(valid.slice(YMT_PREFIX.length));
  assert.ok(body);
  const check = async (text: string) => {
    const r = await verifyCode(text, list, T0, opts);
    assert.equal(r.valid, false, `accepted a mutated token: ${text}`);
    assert.ok(isErrorCode(r.error), r.error);
  };

  test('a flipped bit in the QR text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.integer({ min: 0, max: 6 }),
        async (pos, bit) => {
          const c = String.fromCharCode(valid.charCodeAt(pos) ^ (1 << bit));
          await check(valid.slice(0, pos) + c + valid.slice(pos + 1));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a flipped bit in the signed bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: body.length * 8 - 1 }), async (bit) => {
        const bytes = Uint8Array.from(body);
        bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        await check(YMT_PREFIX + base45Encode(bytes));
      }),
      { numRuns: 400 },
    );
  });

  test('truncation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: valid.length - 1 }), async (n) => {
        await check(valid.slice(0, n));
      }),
      { numRuns: 200 },
    );
  });

  test('appended characters or bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        async (s, extra) => {
          await check(valid + s);
          await check(YMT_PREFIX + base45Encode(Uint8Array.from([...body, ...extra])));
        },
      ),
      { numRuns: 200 },
    );
  });
});
