import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readQrFromPng } from '../../src/code/qr-decode.ts';
import { qrVersion, renderSvg } from '../../src/code/qr.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import {
  ALICE,
  BOB,
  bearer,
  confirmedCase,
  HEALTHY_DECLARATION,
  register,
  signIn,
} from '../helpers/people.ts';

interface CodeJson {
  code: string;
  codeId: string;
  colour: string;
  maskedName: string;
  issuer: string;
  expiresAt: string;
  issuedAt: string;
  reasons: {
    code: string;
    colour: string;
    text: string;
    textEn: string;
    evidence: { source: string; batchId: string; record: number };
  }[];
  alreadyApplied: boolean;
  notice?: string;
  qrSvg?: string;
}

for (const engine of ENGINES) {
  describe(`the national code (${engine})`, () => {
    let hub: TestApp;
    let alice: string;
    let bob: string;
    before(async () => {
      hub = await startApp(engine);
      await register(hub.parts, ALICE);
      await register(hub.parts, BOB);
      alice = await signIn(hub.app, ALICE);
      bob = await signIn(hub.app, BOB);
    });
    after(() => hub.close());

    const apply = (token: string) =>
      hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(token) });
    const verify = (code: string, checkpointRegion?: string) =>
      hub.app.inject({
        method: 'POST',
        url: '/api/v1/verify',
        payload: checkpointRegion === undefined ? { code } : { code, checkpointRegion },
      });

    test('needs a declaration first', async () => {
      const res = await apply(alice);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'YMT_ERR_DECLARATION_REQUIRED');
    });

    test('a healthy holder gets a green 15-minute code with its reason and an SVG QR', async () => {
      await hub.app.inject({
        method: 'POST',
        url: '/api/v1/me/declaration',
        headers: bearer(alice),
        payload: HEALTHY_DECLARATION,
      });
      const res = await apply(alice);
      assert.equal(res.statusCode, 200);
      const c = res.json<CodeJson>();
      assert.equal(c.colour, 'green');
      assert.equal(c.maskedName, '张*三');
      assert.equal(c.issuer, 'CN');
      assert.equal(Date.parse(c.expiresAt) - Date.parse(c.issuedAt), 900_000);
      assert.equal(Date.parse(c.issuedAt), hub.clock.nowMs);
      assert.deepEqual(
        c.reasons.map((r) => r.code),
        ['NO_ABNORMALITY'],
      );
      assert.equal(c.alreadyApplied, false);
      assert.equal(c.notice, undefined);
      assert.match(c.code, /^YMT1:[0-9A-Z $%*+\-./:]+$/);
      assert.equal(c.qrSvg, undefined, 'the client draws the QR from the token');
      assert.ok((await qrVersion(c.code)) <= 9);
      assert.ok(!c.code.includes(ALICE.documentNumber));
    });

    test('the QR drawn as SVG only when asked for, for the same code; any other drawing is refused', async () => {
      for (const method of ['POST', 'GET'] as const) {
        const res = await hub.app.inject({ method, url: '/api/v1/me/code?qr=svg', headers: bearer(alice) });
        assert.equal(res.statusCode, 200, res.body);
        const c = res.json<CodeJson>();
        assert.equal(c.qrSvg, await renderSvg(c.code));
        assert.match(c.qrSvg ?? '', /^<svg/);
      }
      const bad = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/me/code?qr=gif',
        headers: bearer(alice),
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json<{ error: { code: string } }>().error.code, 'YMT_ERR_VALIDATION');
    });

    test('applying again has no limit and shows the same code: 您已领取，立即查看', async () => {
      const first = (await apply(alice)).json<CodeJson>();
      hub.clock.advance(60);
      for (let i = 0; i < 5; i++) {
        const again = (await apply(alice)).json<CodeJson>();
        assert.equal(again.code, first.code);
        assert.equal(again.alreadyApplied, true);
        assert.equal(again.notice, '您已领取，立即查看');
      }
      const viewed = await hub.app.inject({ method: 'GET', url: '/api/v1/me/code', headers: bearer(alice) });
      assert.equal(viewed.json<CodeJson>().code, first.code);
    });

    test('a code near its expiry is replaced by a fresh one', async () => {
      const first = (await apply(alice)).json<CodeJson>();
      hub.clock.nowMs = Date.parse(first.expiresAt) - 60_000;
      alice = await signIn(hub.app, ALICE);
      const fresh = (await apply(alice)).json<CodeJson>();
      assert.notEqual(fresh.codeId, first.codeId);
      assert.equal(Date.parse(fresh.issuedAt), hub.clock.nowMs);
      assert.equal(fresh.alreadyApplied, true);
    });

    test('the online verifier accepts the code, then calls it expired', async () => {
      const c = (await apply(alice)).json<CodeJson>();
      const ok = (await verify(c.code)).json<Record<string, unknown>>();
      assert.deepEqual(ok, {
        valid: true,
        decision: 'accept',
        reasons: [{ code: 'GREEN_CODE', text: '绿码，通行', textEn: 'Green code: entry accepted' }],
        ruleSet: 'national-acceptance@1.0.0',
        colour: 'green',
        maskedName: '张*三',
        form: 'screen',
        issuer: 'CN',
        issuedAt: c.issuedAt,
        expiresAt: c.expiresAt,
      });
      // At a Beijing checkpoint, with no Beijing rules published, the national ones decide.
      const beijing = (await verify(c.code, '110105')).json<{
        decision: string;
        ruleSet: string;
        reasons: { code: string }[];
      }>();
      assert.deepEqual(
        [beijing.decision, beijing.ruleSet, beijing.reasons[0]?.code],
        ['accept', 'national-acceptance@1.0.0', 'GREEN_CODE'],
      );
      const nowhere = await verify(c.code, '810000');
      assert.equal(nowhere.statusCode, 400);
      assert.equal(nowhere.json<{ error: { code: string } }>().error.code, 'YMT_ERR_REGION_UNKNOWN');
      hub.clock.nowMs = Date.parse(c.expiresAt) + 61_000;
      const late = (await verify(c.code)).json<{
        valid: boolean;
        decision: string;
        error: { code: string; message: string };
      }>();
      assert.equal(late.valid, false);
      assert.equal(late.decision, 'refuse');
      assert.equal(late.error.code, 'YMT_ERR_CODE_EXPIRED');
      assert.ok(late.error.message.length > 0);
      alice = await signIn(hub.app, ALICE);
    });

    test('the online verifier names what is wrong with a bad code, and refuses bad bodies', async () => {
      const c = (await apply(alice)).json<CodeJson>();
      const tampered = c.code.slice(0, 60) + (c.code[60] === 'A' ? 'B' : 'A') + c.code.slice(61);
      const r = (await verify(tampered)).json<{ valid: boolean; error: { code: string } }>();
      assert.equal(r.valid, false);
      assert.match(r.error.code, /^YMT_ERR_CODE_/);
      assert.equal(
        (await verify('HC1:ABC')).json<{ error: { code: string } }>().error.code,
        'YMT_ERR_CODE_PREFIX',
      );
      const noCode = await hub.app.inject({ method: 'POST', url: '/api/v1/verify', payload: {} });
      assert.equal(noCode.statusCode, 400);
      assert.equal(noCode.json<{ error: { code: string } }>().error.code, 'YMT_ERR_VALIDATION');
    });

    test('the PNG is a QR code that decodes back to the token', async () => {
      const c = (await apply(alice)).json<CodeJson>();
      const res = await hub.app.inject({ method: 'GET', url: '/api/v1/me/code.png', headers: bearer(alice) });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'image/png');
      assert.equal(readQrFromPng(res.rawPayload), c.code);
    });

    test('declared fever, symptoms or contact make the code yellow, each with its reason', async () => {
      bob = await signIn(hub.app, BOB);
      await hub.app.inject({
        method: 'POST',
        url: '/api/v1/me/declaration',
        headers: bearer(bob),
        payload: { ...HEALTHY_DECLARATION, temperature: 37.3, symptoms: ['咳嗽'], contactWithCases: true },
      });
      const c = (await apply(bob)).json<CodeJson>();
      assert.equal(c.colour, 'yellow');
      assert.deepEqual(c.reasons.map((r) => r.code).sort(), [
        'DECLARED_CONTACT',
        'DECLARED_FEVER',
        'DECLARED_SYMPTOMS',
      ]);
      assert.ok(
        c.reasons.every(
          (r) => r.text.length > 0 && r.textEn.length > 0 && r.evidence.source === 'declaration',
        ),
      );
      // A yellow code: a manual check, nationally and in Beijing.
      for (const region of [undefined, '110105']) {
        assert.equal((await verify(c.code, region)).json<{ decision: string }>().decision, 'manual');
      }
    });

    test('36.9 °C is not a fever; 37.3 °C is', async () => {
      hub.clock.advance(86400);
      bob = await signIn(hub.app, BOB);
      await hub.app.inject({
        method: 'PATCH',
        url: '/api/v1/me/declaration',
        headers: bearer(bob),
        payload: { temperature: 36.9, symptoms: [], contactWithCases: false },
      });
      assert.equal((await apply(bob)).json<CodeJson>().colour, 'green');
    });

    test('an entry in the status table turns the code red, and the colour change gives a new code', async () => {
      const green = (await apply(bob)).json<CodeJson>();
      const entry = await confirmedCase(hub, BOB);
      const red = (await apply(bob)).json<CodeJson>();
      assert.equal(red.colour, 'red');
      assert.notEqual(red.code, green.code);
      assert.deepEqual(
        red.reasons.map((r) => [r.code, r.evidence.source, r.evidence.batchId]),
        [['CASE_CONFIRMED', 'status', entry.entryId]],
      );
      const verified = (await verify(red.code)).json<{ colour: string }>();
      assert.equal(verified.colour, 'red');
      // Expired entries no longer count.
      hub.clock.advance(15 * 86400);
      bob = await signIn(hub.app, BOB);
      assert.equal((await apply(bob)).json<CodeJson>().colour, 'green');
    });

    test('the code routes need a session', async () => {
      for (const [method, url] of [
        ['POST', '/api/v1/me/code'],
        ['GET', '/api/v1/me/code'],
        ['GET', '/api/v1/me/code.png'],
      ] as const) {
        const res = await hub.app.inject({ method, url });
        assert.equal(res.statusCode, 401, url);
      }
    });
  });
}
