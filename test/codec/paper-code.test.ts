/**
 * Paper codes in the code format (Q9, docs/code-format.md#paper-codes): the form claim, the lifetime a signer
 * accepts and a verifier accepts, and that a code on screen is encoded exactly as before.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { CborKey, CborValue } from '../../src/codec/cbor.ts';
import {
  COLOURS,
  encodeClaims,
  PAPER_CODE_MAX_LIFETIME_SECONDS,
  PAPER_CODE_MIN_LIFETIME_SECONDS,
  signCode,
} from '../../src/codec/token.ts';
import { verifyCode } from '../../src/codec/verify.ts';
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
const list = await trustList(anchor, [{ key: issuer }]);
const opts = { crypto: nodeCryptoProvider };
const iat = Math.floor(T0 / 1000);
const DAY = 86_400;
const ph = new Map<CborKey, CborValue>([
  [1, -7],
  [4, issuer.kid],
]);

/** Our claims with the private map's form key set to `form`. */
function withForm(c: ReturnType<typeof claims>, form: number): Map<CborKey, CborValue> {
  const m = ymtClaimsMap(c);
  const ymt = m.get(-65537) as Map<CborKey, CborValue>;
  ymt.set(3, form);
  return m;
}

describe('paper codes', () => {
  test('the form claim: key 3 = 1 in the private map, absent on a code on screen', () => {
    const base = { cti: new Uint8Array(16), maskedName: '张*三', iat };
    const screen = Buffer.from(encodeClaims(claims(base))).toString('hex');
    const paper = Buffer.from(encodeClaims(claims({ ...base, exp: iat + DAY, form: 'paper' }))).toString(
      'hex',
    );
    // The private map: a2 (two entries) on screen, a3 with 03 01 appended on paper.
    assert.ok(screen.endsWith('3a00010000a201000267e5bca02ae4b889'));
    assert.ok(paper.endsWith('3a00010000a301000267e5bca02ae4b8890301'));
  });

  test('a signer makes paper codes of 1 hour to 7 days, codes on screen of 15 minutes only', () => {
    const paper = (lifetime: number) => () =>
      signCode(claims({ exp: iat + lifetime, form: 'paper' }), issuer.signer);
    assert.throws(paper(PAPER_CODE_MIN_LIFETIME_SECONDS - 1), TypeError);
    assert.doesNotThrow(paper(PAPER_CODE_MIN_LIFETIME_SECONDS));
    assert.doesNotThrow(paper(PAPER_CODE_MAX_LIFETIME_SECONDS));
    assert.throws(paper(PAPER_CODE_MAX_LIFETIME_SECONDS + 1), TypeError);
    assert.throws(() => signCode(claims({ exp: iat + DAY }), issuer.signer), TypeError);
  });

  test('verified as paper, a code on screen as screen; both expire at exp', async () => {
    const paper = token(issuer, { exp: iat + DAY, form: 'paper' });
    const r = await verifyCode(paper, list, T0 + 23 * 3600_000, opts);
    assert.ok(r.valid);
    assert.equal(r.form, 'paper');
    assert.deepEqual(await verifyCode(paper, list, T0 + 25 * 3600_000, opts), {
      valid: false,
      error: 'YMT_ERR_CODE_EXPIRED',
    });
    const screen = await verifyCode(token(issuer), list, T0, opts);
    assert.ok(screen.valid);
    assert.equal(screen.form, 'screen');
  });

  test('refused: a code on screen its key signed for a year (issue 17: it verified)', async () => {
    const year = customToken(issuer, ph, ymtClaimsMap(claims({ exp: iat + 365 * DAY })));
    assert.deepEqual(await verifyCode(year, list, T0, opts), {
      valid: false,
      error: 'YMT_ERR_CODE_LIFETIME',
    });
    const sixteen = customToken(issuer, ph, ymtClaimsMap(claims({ exp: iat + 960 })));
    assert.deepEqual(await verifyCode(sixteen, list, T0, opts), {
      valid: false,
      error: 'YMT_ERR_CODE_LIFETIME',
    });
  });

  test('refused: a paper code signed for longer than 7 days, an unknown form', async () => {
    const long = customToken(issuer, ph, withForm(claims({ exp: iat + 8 * DAY }), 1));
    assert.deepEqual(await verifyCode(long, list, T0, opts), {
      valid: false,
      error: 'YMT_ERR_CODE_LIFETIME',
    });
    const unknown = customToken(issuer, ph, withForm(claims(), 2));
    assert.deepEqual(await verifyCode(unknown, list, T0, opts), {
      valid: false,
      error: 'YMT_ERR_CODE_CLAIMS',
    });
  });

  test('property: any colour and lifetime in range verifies as paper with its colour until it ends', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COLOURS),
        fc.integer({ min: PAPER_CODE_MIN_LIFETIME_SECONDS, max: PAPER_CODE_MAX_LIFETIME_SECONDS }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (colour, lifetime, at) => {
          const text = token(issuer, { colour, exp: iat + lifetime, form: 'paper' });
          // The trust list of the fixtures is valid 7 days: verify within both.
          const when = T0 + Math.floor(at * (lifetime - 60)) * 1000;
          const r = await verifyCode(text, list, when, opts);
          assert.ok(r.valid, JSON.stringify(r));
          assert.deepEqual([r.form, r.colour], ['paper', colour]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
