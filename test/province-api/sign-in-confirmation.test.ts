/**
 * Who a province speaks for (docs/federation.md#who-a-province-speaks-for), on SQLite and PostgreSQL: the identity
 * check answers match or no match and texts the holder a code — never a phone; only the code makes the holder the
 * province's (finding 3 of issue 12: a province alone could take over anyone); the code is bound to its province,
 * used once, tried a few times, short-lived, and sent a few times an hour.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CODE_LIFETIME_SECONDS } from '../../src/codec/token.ts';
import { signRequest } from '../../src/federation/request-signature.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, BOB, idNumber, register } from '../helpers/people.ts';
import { lastCode, sentSms } from '../helpers/sms.ts';
import { join } from 'node:path';

type Body = Record<string, unknown> & { error?: { code: string } };

for (const engine of ENGINES) {
  describe(`sign-in confirmation at a node (${engine})`, () => {
    let hub: TestApp;
    const province: Record<string, ProvinceKeys> = {};

    before(async () => {
      hub = await startApp(engine);
      for (const code of ['440000', '110000']) {
        const store = new KeyStore(join(hub.dataDir, 'provinces', code, 'keys'), CODE_LIFETIME_SECONDS + 60);
        province[code] = new ProvinceKeys(store, code);
        await hub.parts.services.provinces.enrol(province[code].ensure(hub.clock.now()), hub.clock.now());
      }
      await register(hub.parts, ALICE);
      await register(hub.parts, BOB);
    });
    after(() => hub.close());

    const as = async (
      code: string,
      url: string,
      payload: object,
    ): Promise<{ status: number; body: Body }> => {
      const keys = province[code];
      assert.ok(keys);
      const res = await hub.app.inject({
        method: 'POST',
        url,
        headers: signRequest(
          { method: 'POST', path: url, caller: code, body: payload },
          keys.accessSigner(),
          hub.clock.now(),
        ),
        payload,
      });
      return { status: res.statusCode, body: res.json<Body>() };
    };
    const verify = (code: string, who: typeof ALICE, name = who.name) =>
      as(code, '/api/v1/federation/identities/verify', {
        documentType: who.documentType,
        documentNumber: who.documentNumber,
        name,
      });
    const confirm = (code: string, challengeId: unknown, digits: string) =>
      as(code, '/api/v1/federation/identities/confirm', { challengeId, code: digits });
    const challengeOf = (r: { body: Body }) => (r.body.challenge as { id: string }).id;
    const holdersOf = async (code: string) =>
      (
        await hub.parts.db
          .selectFrom('province_holders')
          .select('doc_hash')
          .where('province', '=', code)
          .execute()
      ).length;
    const delta = (who: typeof ALICE, id: number) => ({
      deltas: [
        {
          id,
          documentType: who.documentType,
          documentNumber: who.documentNumber,
          colour: 'red',
          reasonCode: 'CASE',
          reasonText: '确诊',
          reasonTextEn: 'Confirmed',
          changedAt: hub.clock.now().toISOString(),
        },
      ],
    });

    test('a wrong name is no match, and nothing is sent', async () => {
      const before = sentSms(hub.dataDir).length;
      const r = await verify('440000', ALICE, '王五');
      assert.deepEqual([r.status, r.body], [200, { match: false }]);
      assert.equal(sentSms(hub.dataDir).length, before);
    });

    test("finding 3: the check alone makes a stranger nobody's; its deltas for them are refused, nobody turns red", async () => {
      const r = await verify('110000', BOB);
      assert.equal(r.body.match, true);
      assert.ok(!JSON.stringify(r.body).includes(BOB.phone), 'no phone in clear');
      assert.equal(await holdersOf('110000'), 0);
      const pushed = await as('110000', '/api/v1/federation/status-deltas', delta(BOB, 1));
      assert.deepEqual(
        (pushed.body.rejected as { code: string }[]).map((x) => x.code),
        ['YMT_ERR_PROVINCE_FORBIDDEN'],
      );
      const bob = await hub.parts.repositories.persons.findByDocument(hub.parts.db, {
        type: 'id_card',
        number: BOB.documentNumber,
        nationality: 'CHN',
      });
      assert.ok(bob);
      assert.equal((await hub.parts.services.status.current(bob.personId, hub.clock.now())).colour, 'green');
    });

    test("a code confirms only its own province's challenge, once; a wrong one is refused, five of them end it", async () => {
      const first = await verify('440000', ALICE);
      const id = challengeOf(first);
      const right = lastCode(hub.dataDir, ALICE.phone);
      const wrong = right === '000000' ? '000001' : '000000';
      // Another province cannot use it.
      assert.equal((await confirm('110000', id, right)).body.error?.code, 'YMT_ERR_CONFIRMATION_EXPIRED');
      assert.equal((await confirm('440000', id, wrong)).body.error?.code, 'YMT_ERR_CONFIRMATION_FAILED');
      const ok = await confirm('440000', id, right);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body.document, {
        documentType: ALICE.documentType,
        documentNumber: ALICE.documentNumber,
        nationality: 'CHN',
      });
      assert.equal(ok.body.name, ALICE.name);
      assert.equal((ok.body.national as { status: { colour: string } }).status.colour, 'green');
      assert.equal(await holdersOf('440000'), 1);
      // Used once.
      assert.equal((await confirm('440000', id, right)).body.error?.code, 'YMT_ERR_CONFIRMATION_EXPIRED');
      // Five wrong tries end a challenge, even for the right code after them.
      const next = await verify('440000', ALICE);
      const code = lastCode(hub.dataDir, ALICE.phone);
      for (let i = 0; i < 5; i++)
        assert.equal((await confirm('440000', challengeOf(next), wrong)).status, 401);
      assert.equal(
        (await confirm('440000', challengeOf(next), code)).body.error?.code,
        'YMT_ERR_CONFIRMATION_EXPIRED',
      );
    });

    test("issue 17: the province's identity checks, sign-ins and consent look-ups are in the holder's access history and the audit log", async () => {
      const aliceId = await register(hub.parts, ALICE);
      const { entries } = await hub.parts.services.accessHistory.of(aliceId);
      const seen = entries.map((e) => `${e.role}:${e.actor}:${e.purpose}`);
      // The test before: two identity checks and one sign-in by 广东省; a wrong name (no match) is not a look-up.
      assert.deepEqual(seen, [
        'province:广东省:identity.verify',
        'province:广东省:signin.confirm',
        'province:广东省:identity.verify',
      ]);
      assert.equal(entries[0]?.actorEn, 'Guangdong');
      // A consent look-up by a province, as its checkpoint makes it.
      const consent = await hub.parts.services.linkedCodes.grantConsent(
        aliceId,
        '110000',
        30,
        hub.clock.now(),
      );
      const r = await as('110000', '/api/v1/federation/national-status', { consentToken: consent.token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const [latest] = (await hub.parts.services.accessHistory.of(aliceId)).entries;
      assert.deepEqual([latest?.purpose, latest?.actor], ['status.consent', '北京市']);
      const log = await hub.parts.db
        .selectFrom('audit_log')
        .select(['action', 'actor_kind', 'actor_ref'])
        .where('subject', '=', aliceId)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        log.map((e) => `${e.actor_kind}:${e.actor_ref}:${e.action}`),
        [
          'province:440000:access.identity.verify',
          'province:440000:access.signin.confirm',
          'province:440000:access.identity.verify',
          'province:110000:access.status.consent',
        ],
      );
      assert.equal((await hub.parts.services.audit.verify()).ok, true);
    });

    test('a code lasts five minutes; a holder is sent five an hour', async () => {
      hub.clock.advance(3600);
      const r = await verify('110000', ALICE);
      const code = lastCode(hub.dataDir, ALICE.phone);
      hub.clock.advance(301);
      assert.equal(
        (await confirm('110000', challengeOf(r), code)).body.error?.code,
        'YMT_ERR_CONFIRMATION_EXPIRED',
      );
      for (let i = 0; i < 4; i++) assert.equal((await verify('110000', ALICE)).status, 200);
      const sixth = await verify('110000', ALICE);
      assert.deepEqual([sixth.status, sixth.body.error?.code], [429, 'YMT_ERR_TOO_MANY_CHALLENGES']);
    });

    test('a real-name record without a phone cannot confirm', async () => {
      // GB 11643's own example number.
      const doc = { type: 'id_card' as const, number: idNumber('11010519491231002'), nationality: 'CHN' };
      await hub.parts.repositories.persons.upsert(hub.parts.db, { doc, name: '无手机' }, hub.clock.nowMs);
      const r = await as('440000', '/api/v1/federation/identities/verify', {
        documentType: 'id_card',
        documentNumber: doc.number,
        name: '无手机',
      });
      assert.deepEqual([r.status, r.body.error?.code], [409, 'YMT_ERR_CONFIRMATION_UNAVAILABLE']);
    });

    test('bad input: a malformed challenge or code is a coded 400, nothing changes', async () => {
      for (const body of [
        { challengeId: 'not-a-uuid', code: '123456' },
        { challengeId: crypto.randomUUID(), code: '12345' },
        { challengeId: crypto.randomUUID(), code: '123456', extra: 1 },
      ]) {
        const r = await as('440000', '/api/v1/federation/identities/confirm', body);
        assert.deepEqual([r.status, r.body.error?.code], [400, 'YMT_ERR_VALIDATION'], JSON.stringify(body));
      }
      const unknown = await confirm('440000', crypto.randomUUID(), '123456');
      assert.equal(unknown.body.error?.code, 'YMT_ERR_CONFIRMATION_EXPIRED');
    });
  });
}
