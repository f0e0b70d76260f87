/**
 * The holder's federation routes on the hub with bad input, on SQLite and PostgreSQL: linking something that is
 * not a province's valid code, consents for no unit, reports of no place — each a coded error with nothing
 * stored; and a report kept encrypted, routed, and listed for its holder only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, BOB, bearer, declaredHolder } from '../helpers/people.ts';

for (const engine of ENGINES) {
  describe(`holder federation routes (${engine})`, () => {
    let hub: TestApp;
    let alice: string;
    let bob: string;
    const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;
    const count = async (table: 'linked_codes' | 'consents' | 'tickets') =>
      Number(
        (
          await hub.parts.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      hub = await startApp(engine);
      alice = await declaredHolder(hub, ALICE);
      bob = await declaredHolder(hub, BOB);
    });
    after(() => hub.close());

    test('linking: no session, not a code, the national code — each refused, nothing linked', async () => {
      const link = (code: string, headers: Record<string, string> = bearer(alice)) =>
        hub.app.inject({ method: 'POST', url: '/api/v1/me/linked-codes', headers, payload: { code } });
      assert.equal((await link('YMT1:X', {})).statusCode, 401);
      const garbage = await link('not a code');
      assert.equal(garbage.statusCode, 400);
      assert.equal(errorOf(garbage.body), 'YMT_ERR_CODE_PREFIX');
      const own = await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(alice) });
      const national = await link(own.json<{ code: string }>().code);
      assert.equal(national.statusCode, 400);
      assert.equal(errorOf(national.body), 'YMT_ERR_LINK_PROVINCIAL_ONLY');
      const unlink = await hub.app.inject({
        method: 'DELETE',
        url: '/api/v1/me/linked-codes/440000',
        headers: bearer(alice),
      });
      assert.equal(unlink.statusCode, 404);
      assert.equal(await count('linked_codes'), 0);
      const view = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/me/linked-codes',
        headers: bearer(alice),
      });
      assert.deepEqual(view.json<{ linked: unknown[] }>().linked, []);
    });

    test('consents: only for a provincial unit, for 1 to 1440 minutes', async () => {
      const grant = (payload: object) =>
        hub.app.inject({ method: 'POST', url: '/api/v1/me/consents', headers: bearer(alice), payload });
      const none = await grant({ province: '990000' });
      assert.equal(none.statusCode, 404);
      assert.equal(errorOf(none.body), 'YMT_ERR_PROVINCE_UNKNOWN');
      assert.equal((await grant({ province: '110000', minutes: 0 })).statusCode, 400);
      assert.equal((await grant({ province: '110000', minutes: 1441 })).statusCode, 400);
      assert.equal(await count('consents'), 0);
      const ok = await grant({ province: '110000' });
      assert.equal(ok.statusCode, 200);
      const { expiresAt } = ok.json<{ expiresAt: string }>();
      assert.equal(Date.parse(expiresAt) - hub.clock.nowMs, 30 * 60_000);
    });

    test('reports: a place of no unit and unknown fields are refused; a good one is routed, encrypted, its holder’s', async () => {
      const file = (payload: object, token = alice) =>
        hub.app.inject({
          method: 'POST',
          url: '/api/v1/me/reports/non-recognition',
          headers: bearer(token),
          payload,
        });
      const good = {
        region: '659001',
        at: '2026-11-27T09:30:00+08:00',
        checkpointId: 'SHZ-GATE-3',
        issuer: '440000',
      };
      const nowhere = await file({ ...good, region: '999999' });
      assert.equal(nowhere.statusCode, 400);
      assert.equal(errorOf(nowhere.body), 'YMT_ERR_REGION_UNKNOWN');
      assert.equal((await file({ ...good, extra: 1 })).statusCode, 400);
      assert.equal((await file({ ...good, at: 'yesterday' })).statusCode, 400);
      assert.equal(await count('tickets'), 0);

      const res = await file(good);
      assert.equal(res.statusCode, 201, res.body);
      const report = res.json<{ province: string; status: string; hotline: string; checkpointId: string }>();
      // 石河子市 is a Corps city: the report goes to the Corps, not to Xinjiang.
      assert.deepEqual(
        [report.province, report.status, report.hotline, report.checkpointId],
        ['660000', 'open', '12345', 'SHZ-GATE-3'],
      );
      const row = await hub.parts.db.selectFrom('tickets').select('details_enc').executeTakeFirstOrThrow();
      assert.ok(!row.details_enc.includes('SHZ-GATE-3'), 'the details are stored encrypted');
      const mine = await hub.app.inject({ method: 'GET', url: '/api/v1/me/reports', headers: bearer(alice) });
      assert.equal(mine.json<{ reports: unknown[] }>().reports.length, 1);
      const others = await hub.app.inject({ method: 'GET', url: '/api/v1/me/reports', headers: bearer(bob) });
      assert.deepEqual(others.json<{ reports: unknown[] }>().reports, []);
    });
  });
}
