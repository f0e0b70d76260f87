/**
 * Registrars (Q9, docs/registrars.md) on both engines: a registrar records the declaration of a person without a
 * phone or ID card and gets a paper code that verifies offline as `paper`, valid PAPER_CODE_HOURS; a person with
 * an ID card passes the same real-name check as a sign-in; the same person is recorded again by their
 * registration number; the person's access history names the registrar; another registrar, a disabled one and a
 * holder's session get nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { webCryptoProvider } from '../../src/codec/webcrypto.ts';
import { loadTrustList, type TrustAnchor, type TrustListDocument } from '../../src/codec/trust-list.ts';
import { verifyCode } from '../../src/codec/verify.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import {
  ALICE,
  BOB,
  bearer,
  declaredHolder,
  HEALTHY_DECLARATION,
  register,
  signIn,
} from '../helpers/people.ts';

interface Recorded {
  id: string;
  code: string;
  expiresAt: string;
  colour: string;
  maskedName: string;
  registeredNumber?: string;
}
interface ErrorJson {
  error: { code: string; details?: { field: string; code: string }[] };
}

const CONTACT = { name: '王社工', phone: '13600000000' };
const NO_PHONE = { name: '刘桂兰', contact: CONTACT, ...HEALTHY_DECLARATION, householdRegion: '310101' };

for (const engine of ENGINES) {
  describe(`registrars and paper codes (${engine})`, () => {
    let hub: TestApp;
    let token: string;
    let other: string;
    before(async () => {
      hub = await startApp(engine, { env: { PAPER_CODE_HOURS: '48' } });
      const now = hub.clock.now();
      token = (await hub.parts.services.staff.create('registrar', '南京东路街道社区服务中心', '310101', now))
        .token;
      other = (await hub.parts.services.staff.create('registrar', '另一社区', '310104', now)).token;
      await register(hub.parts, BOB);
    });
    after(() => hub.close());

    const record = (t: string, payload: object) =>
      hub.app.inject({ method: 'POST', url: '/api/v1/registrar/declarations', headers: bearer(t), payload });
    const pdf = (t: string, id: string) =>
      hub.app.inject({
        method: 'GET',
        url: `/api/v1/registrar/declarations/${id}/paper-code.pdf`,
        headers: bearer(t),
      });
    const offline = async (code: string) => {
      const get = async (url: string) => (await hub.app.inject({ method: 'GET', url })).json<unknown>();
      const anchor = (await get('/.well-known/yimatong/trust-anchor')) as TrustAnchor;
      const doc = (await get('/.well-known/yimatong/trust-list')) as TrustListDocument;
      const loaded = await loadTrustList(doc, anchor, hub.clock.nowMs, webCryptoProvider());
      assert.ok(loaded.ok);
      return (at: number) => verifyCode(code, loaded.trustList, at, { crypto: webCryptoProvider() });
    };
    let first: Recorded;

    test('a person without phone or ID card: 201, a paper code valid 48 h that verifies offline as paper', async () => {
      const res = await record(token, NO_PHONE);
      assert.equal(res.statusCode, 201, res.body);
      first = res.json<Recorded>();
      assert.equal(first.maskedName, '刘*兰');
      assert.equal(first.colour, 'green');
      assert.match(first.registeredNumber ?? '', /^DJ[0-9A-HJKMNP-TV-Z]{10}$/);
      assert.equal(Date.parse(first.expiresAt) - hub.clock.nowMs, 48 * 3600_000);
      const verify = await offline(first.code);
      const now = await verify(hub.clock.nowMs);
      assert.ok(now.valid);
      assert.equal(now.form, 'paper');
      assert.equal(now.maskedName, '刘*兰');
      // Still valid a day later (a code on screen lives 15 minutes), expired after 48 hours.
      assert.ok((await verify(hub.clock.nowMs + 24 * 3600_000)).valid);
      const late = await verify(hub.clock.nowMs + 49 * 3600_000);
      assert.deepEqual(late, { valid: false, error: 'YMT_ERR_CODE_EXPIRED' });
      // Online, the hub's verifier says paper too.
      const online = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/verify',
        payload: { code: first.code },
      });
      assert.equal(online.json<{ form: string }>().form, 'paper');
    });

    test('the paper code prints as an A6 PDF, only for the registrar who recorded it', async () => {
      const res = await pdf(token, first.id);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.rawPayload.subarray(0, 5).toString(), '%PDF-');
      // A6 is 105 × 148 mm: 297.64 × 419.53 points.
      assert.ok(res.rawPayload.toString('latin1').includes('/MediaBox [0 0 297.64 419.53]'), 'an A6 page');
      const theirs = await pdf(other, first.id);
      assert.equal(theirs.statusCode, 404);
      assert.equal(theirs.json<ErrorJson>().error.code, 'YMT_ERR_REGISTRATION_NOT_FOUND');
    });

    test('the same person again by their number, under the once-a-day rule; a wrong name refused', async () => {
      const again = { ...NO_PHONE, registeredNumber: first.registeredNumber };
      const wrong = await record(token, { ...again, name: '刘桂英' });
      assert.equal(wrong.statusCode, 422);
      assert.equal(wrong.json<ErrorJson>().error.code, 'YMT_ERR_STAFF_REAL_NAME');
      // Another registrar modifies the same declaration: today's one modification, a fever, a yellow code.
      const fever = await record(other, { ...again, temperature: 38.6 });
      assert.equal(fever.statusCode, 201, fever.body);
      assert.equal(fever.json<Recorded>().registeredNumber, first.registeredNumber);
      assert.equal(fever.json<Recorded>().colour, 'yellow');
      const twice = await record(token, again);
      assert.equal(twice.statusCode, 429);
      assert.equal(twice.json<ErrorJson>().error.code, 'YMT_ERR_DECLARATION_DAILY_LIMIT');
      hub.clock.advance(86_400_000);
      const nextDay = await record(token, again);
      assert.equal(nextDay.statusCode, 201, nextDay.body);
      assert.equal(nextDay.json<Recorded>().colour, 'green');
    });

    test('an ID card holder: the real-name check of a sign-in; their own session sees the registrar', async () => {
      const wrong = await record(token, {
        ...NO_PHONE,
        name: '李五',
        document: { documentType: 'id_card', documentNumber: BOB.documentNumber },
      });
      assert.equal(wrong.statusCode, 422);
      assert.equal(wrong.json<ErrorJson>().error.code, 'YMT_ERR_STAFF_REAL_NAME');
      const res = await record(token, {
        ...NO_PHONE,
        name: BOB.name,
        document: { documentType: 'id_card', documentNumber: BOB.documentNumber },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json<Recorded>().registeredNumber, undefined);
      assert.equal((await pdf(token, res.json<Recorded>().id)).statusCode, 200);
      const bob = await signIn(hub.app, BOB);
      const history = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/me/access-history',
        headers: bearer(bob),
      });
      const entries = history.json<{ entries: { actor: string; role: string; purpose: string }[] }>().entries;
      assert.deepEqual(
        entries.map((e) => [e.role, e.purpose]),
        [
          ['registrar', 'code.paper'],
          ['registrar', 'code.paper'],
          ['registrar', 'declaration.create'],
        ],
      );
      assert.equal(entries[0]?.actor, '南京东路街道社区服务中心 · 黄浦区');
      // The declaration is Bob's one declaration: he reads it himself, his own phone kept.
      const own = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/me/declaration',
        headers: bearer(bob),
      });
      assert.equal(own.statusCode, 200);
      assert.equal(own.json<{ phone: string }>().phone, '137****5678');
    });

    test('a holder’s code on screen is not the paper code, and stays 15 minutes', async () => {
      const alice = await declaredHolder(hub, ALICE);
      const code = (
        await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(alice) })
      ).json<{
        expiresAt: string;
      }>();
      assert.equal(Date.parse(code.expiresAt) - hub.clock.nowMs, 900_000);
    });

    test('refused: no credential, a holder’s session, a disabled registrar, bad fields (nothing written)', async () => {
      const none = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/registrar/declarations',
        payload: NO_PHONE,
      });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json<ErrorJson>().error.code, 'YMT_ERR_STAFF_UNAUTHENTICATED');
      const bob = await signIn(hub.app, BOB);
      assert.equal((await record(bob, NO_PHONE)).statusCode, 401);
      const persons = await hub.parts.repositories.persons.count(hub.parts.db);
      const bad = await record(token, { ...NO_PHONE, contact: { name: '', phone: '123' }, temperature: 50 });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(
        bad
          .json<ErrorJson>()
          .error.details?.map((d) => d.field)
          .sort(),
        ['contact.name', 'contact.phone', 'temperature'],
      );
      assert.equal(await hub.parts.repositories.persons.count(hub.parts.db), persons);
      const list = await hub.parts.services.staff.list('registrar');
      const otherId = list.find((r) => r.name === '另一社区')?.staffId ?? '';
      assert.ok(await hub.parts.services.staff.disable('registrar', otherId, hub.clock.now()));
      assert.equal((await record(other, NO_PHONE)).statusCode, 401);
    });
  });
}
