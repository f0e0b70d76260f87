import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FeedSource } from '../../src/feeds/feed-records.domain.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { ENGINES, startApp, TestClock, type TestApp } from '../helpers/context.ts';
import { ALICE, BOB, bearer, declaredHolder, idNumber, signIn } from '../helpers/people.ts';

interface Health {
  colour: string;
  asOf: string;
  reasons: { code: string }[];
}

for (const engine of ENGINES) {
  describe(`status snapshots (${engine})`, () => {
    let hub: TestApp;
    let token: string;
    // 10:00 in Shanghai: the day's snapshot would last until midnight, the TTL is shorter.
    const t0 = Date.parse('2026-11-22T02:00:00Z');
    before(async () => {
      hub = await startApp(engine, { clock: new TestClock(t0), env: { STATUS_SNAPSHOT_TTL_SECONDS: '600' } });
      token = await declaredHolder(hub, ALICE);
    });
    after(() => hub.close());

    const health = async () =>
      (
        await hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(token) })
      ).json<Health>();
    const send = (source: FeedSource, batchId: string, records: object[]) =>
      sendFeed(hub, source, batchId, records);

    test('a fresh snapshot is read, not recomputed', async () => {
      const first = await health();
      assert.equal(first.asOf, new Date(t0).toISOString());
      hub.clock.advance(120);
      assert.equal((await health()).asOf, first.asOf);
    });

    test('new evidence about the holder is shown at once', async () => {
      await send('health', 'h-1', [
        {
          documentType: 'id_card',
          documentNumber: ALICE.documentNumber,
          status: 'confirmed',
          at: '2026-11-22T10:00:00+08:00',
        },
      ]);
      const now = await health();
      assert.equal(now.colour, 'red');
      assert.equal(now.asOf, hub.clock.now().toISOString());
      // And the code shows it.
      const code = await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(token) });
      assert.equal(code.json<{ colour: string }>().colour, 'red');
    });

    test('evidence about an area drops every snapshot; a new declaration drops the holder’s', async () => {
      const before = (await health()).asOf;
      hub.clock.advance(60);
      await send('area-risk', 'r-1', [
        {
          areaCode: '110000',
          level: 'high',
          from: '2026-11-22T00:00:00+08:00',
          to: '2026-11-29T00:00:00+08:00',
        },
      ]);
      assert.notEqual((await health()).asOf, before);
      hub.clock.advance(60);
      const again = (await health()).asOf;
      await hub.app.inject({
        method: 'PATCH',
        url: '/api/v1/me/declaration',
        headers: bearer(token),
        payload: { temperature: 38.2 },
      });
      const after = await health();
      assert.notEqual(after.asOf, again);
      assert.ok(after.reasons.some((r) => r.code === 'DECLARED_FEVER'));
    });

    test('a snapshot expires after the TTL', async () => {
      const before = (await health()).asOf;
      hub.clock.advance(601);
      token = await signIn(hub.app, ALICE);
      assert.equal((await health()).asOf, hub.clock.now().toISOString());
      assert.notEqual(before, hub.clock.now().toISOString());
    });
  });
}

for (const engine of ENGINES) {
  describe(`status snapshots follow co-travel exposures (${engine})`, () => {
    let hub: TestApp;
    let token: string;
    const t0 = Date.parse('2026-11-22T02:00:00Z');
    const CASE_1 = idNumber('11010119700101001');
    const CASE_2 = idNumber('11010119700101002');
    before(async () => {
      hub = await startApp(engine, { clock: new TestClock(t0) });
      token = await declaredHolder(hub, BOB);
    });
    after(() => hub.close());

    const colour = async () =>
      (
        await hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(token) })
      ).json<Health>().colour;
    const onTrain = (documentNumber: string, trainNo: string) => ({
      documentType: 'id_card',
      documentNumber,
      trainNo,
      date: '2026-11-20',
      carriage: 3,
      seat: '05A',
    });
    const confirmed = (documentNumber: string) => ({
      documentType: 'id_card',
      documentNumber,
      status: 'confirmed',
      at: '2026-11-22T09:00:00+08:00',
    });

    test('a case reported after the trip turns the co-traveller yellow at once', async () => {
      await sendFeed(hub, 'railway', 'rail-1', [onTrain(BOB.documentNumber, 'G1'), onTrain(CASE_1, 'G1')]);
      assert.equal(await colour(), 'green', 'a snapshot is now stored');
      await sendFeed(hub, 'health', 'cases-1', [confirmed(CASE_1)]);
      assert.equal(await colour(), 'yellow');
    });

    test('a manifest arriving after the case turns the co-traveller yellow at once', async () => {
      await hub.parts.db.deleteFrom('exposures').execute();
      await hub.parts.db.deleteFrom('status_snapshots').execute();
      assert.equal(await colour(), 'green', 'a snapshot is now stored');
      await sendFeed(hub, 'health', 'cases-2', [confirmed(CASE_2)]);
      await sendFeed(hub, 'railway', 'rail-2', [onTrain(CASE_2, 'G2')]);
      assert.equal(await colour(), 'green', 'nobody else on that train yet');
      await sendFeed(hub, 'railway', 'rail-3', [onTrain(BOB.documentNumber, 'G2')]);
      assert.equal(await colour(), 'yellow');
    });
  });
}
