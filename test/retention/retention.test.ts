/**
 * Data that expires (docs/operations.md#retention), on both engines with the test clock: a purge removes what is past
 * its window and nothing a colour still needs — every holder's colour and reasons are the same before and after.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FeedSource } from '../../src/feeds/feed-records.domain.ts';
import type { PurgeReport } from '../../src/retention/retention.domain.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { ENGINES, startApp, TestClock, type TestApp } from '../helpers/context.ts';
import { ALICE, bearer, declaredHolder, person, register, signIn } from '../helpers/people.ts';

const DAY = 86_400;
const BOB = person('李四', '11010819850607456', '13712345678');
const CAROL = person('王芳', '11010819850607457', '13712345679');
const DAVE = person('赵强', '11010819850607458', '13712345670');
const ERIN = person('陈静', '11010819850607459', '13712345671');
const FRANK = person('孙伟', '11010819850607450', '13712345672');
const GRACE = person('周敏', '11010819850607461', '13712345673');
const doc = (p: typeof ALICE) => ({ documentType: 'id_card', documentNumber: p.documentNumber });

for (const engine of ENGINES) {
  describe(`the purge (${engine})`, () => {
    let hub: TestApp;
    let alice: string;
    const ids: Record<string, string> = {};
    const send = (source: FeedSource, batchId: string, records: object[]) =>
      sendFeed(hub, source, batchId, records);
    const count = async (table: 'manifests' | 'exposures' | 'health_events' | 'telecom_stays' | 'codes') =>
      Number(
        (
          await hub.parts.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    /** Every holder's colour and reasons, computed afresh from the evidence (no stored snapshot). */
    const colours = async () => {
      await hub.parts.db.deleteFrom('status_snapshots').execute();
      const res = await hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(alice) });
      assert.equal(res.statusCode, 200, res.body);
      const out: Record<string, string> = {
        ALICE: JSON.stringify(
          res.json<{ colour: string; reasons: { code: string }[] }>().reasons.map((r) => r.code),
        ),
      };
      for (const [name, id] of Object.entries(ids)) {
        const s = await hub.parts.services.status.current(id, hub.clock.now());
        out[name] = `${s.colour} ${s.reasons.map((r) => r.code).join(',')}`;
      }
      return out;
    };

    before(async () => {
      // 1 November: a month of evidence that will be past its windows by December.
      hub = await startApp(engine, { clock: new TestClock(Date.parse('2026-11-01T02:00:00Z')) });
      alice = await declaredHolder(hub, ALICE);
      for (const [name, p] of Object.entries({ BOB, CAROL, DAVE, ERIN, FRANK, GRACE }))
        ids[name] = await register(hub.parts, p);
      const code = await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(alice) });
      assert.equal(code.statusCode, 200, code.body);
      await send('railway', 'rail-old', [
        { ...doc(ALICE), trainNo: 'G1', date: '2026-10-30', carriage: 5, seat: '01A' },
        { ...doc(BOB), trainNo: 'G1', date: '2026-10-30', carriage: 5, seat: '02A' },
      ]);
      await send('health', 'health-old', [
        { ...doc(BOB), status: 'confirmed', at: '2026-10-31T08:00:00+08:00' },
        { ...doc(CAROL), status: 'confirmed', at: '2026-10-31T09:00:00+08:00' },
        { ...doc(DAVE), status: 'confirmed', at: '2026-10-20T08:00:00+08:00' },
        { ...doc(DAVE), status: 'cleared', at: '2026-10-25T08:00:00+08:00' },
        { ...doc(GRACE), status: 'confirmed', at: '2026-10-20T08:00:00+08:00' },
        { ...doc(GRACE), status: 'cleared', at: '2026-10-25T08:00:00+08:00' },
      ]);
      // Grace's clearance was sent in error and retracted by its owner: her confirmed case is her newest evidence.
      await hub.parts.db
        .updateTable('health_events')
        .set({ corrected_at: hub.clock.nowMs })
        .where('batch_id', '=', 'health-old')
        .where('line', '=', 6)
        .execute();
      await send('telecom', 'tel-old', [
        {
          phone: FRANK.phone,
          cityCode: '420100',
          firstSeen: '2026-10-30T08:00:00+08:00',
          lastSeen: '2026-10-30T20:00:00+08:00',
        },
      ]);
      await send('area-risk', 'risk-old', [
        {
          areaCode: '420100',
          level: 'high',
          from: '2026-10-01T00:00:00+08:00',
          to: '2026-12-31T00:00:00+08:00',
        },
      ]);
      // An operator's entry for Frank, in force for two days.
      await hub.parts.services.statusEntries.add(
        { role: 'operator', name: '测试运营' },
        {
          documentType: 'id_card',
          documentNumber: FRANK.documentNumber,
          kind: 'CLOSE_CONTACT_OBSERVED',
          until: '2026-11-03T02:00:00.000Z',
          reason: '卫生健康部门通报',
        },
        hub.clock.now(),
      );
      // The next day Alice changes her declaration: the first version is replaced on 2 November.
      hub.clock.advance(DAY);
      alice = await signIn(hub.app, ALICE);
      const changed = await hub.app.inject({
        method: 'PATCH',
        url: '/api/v1/me/declaration',
        headers: bearer(alice),
        payload: { temperature: 36.8 },
      });
      assert.ok(changed.statusCode < 300, changed.body);

      // 5 December: new evidence, inside every window.
      hub.clock.nowMs = Date.parse('2026-12-05T02:00:00Z');
      alice = await signIn(hub.app, ALICE);
      await send('railway', 'rail-new', [
        { ...doc(ALICE), trainNo: 'G2', date: '2026-12-03', carriage: 3, seat: '01A' },
        { ...doc(ERIN), trainNo: 'G2', date: '2026-12-03', carriage: 3, seat: '02A' },
      ]);
      await send('health', 'health-new', [
        { ...doc(ERIN), status: 'confirmed', at: '2026-12-04T08:00:00+08:00' },
      ]);
      await send('telecom', 'tel-new', [
        {
          phone: ALICE.phone,
          cityCode: '420100',
          firstSeen: '2026-12-04T08:00:00+08:00',
          lastSeen: '2026-12-04T20:00:00+08:00',
        },
      ]);
      const fresh = await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(alice) });
      assert.equal(fresh.statusCode, 200, fresh.body);
    });
    after(() => hub.close());

    let earlier: Record<string, string>;
    let dry: PurgeReport | undefined;

    test('a dry run counts what would go and removes nothing', async () => {
      earlier = await colours();
      assert.deepEqual(earlier, {
        ALICE: JSON.stringify(['CO_TRAVEL', 'RISK_AREA_VISIT']),
        BOB: 'red CASE_CONFIRMED',
        CAROL: 'red CASE_CONFIRMED',
        DAVE: 'green NO_ABNORMALITY',
        ERIN: 'red CASE_CONFIRMED',
        FRANK: 'green NO_ABNORMALITY',
        GRACE: 'red CASE_CONFIRMED',
      });
      const counts = [await count('manifests'), await count('health_events'), await count('codes')];
      dry = await hub.parts.services.retention.purge(hub.clock.now(), { dryRun: true });
      assert.deepEqual(
        [await count('manifests'), await count('health_events'), await count('codes')],
        counts,
      );
      assert.equal(dry?.railway, 2);
    });

    test('the purge removes what is past its window, as the dry run said, and no colour changes', async () => {
      const report = await hub.parts.services.retention.purge(hub.clock.now());
      assert.deepEqual(report, {
        // Dave's confirmed case, replaced by his clearance, and Grace's retracted clearance (not her confirmed case,
        // which that clearance no longer replaces); every holder's newest event stays.
        health: 2,
        // The two travellers of the train of 30 October.
        railway: 2,
        aviation: 0,
        immigration: 0,
        // Frank's stay of 30 October.
        telecom: 1,
        // Frank's entry, ended on 3 November.
        status_entries: 1,
        // The code of 1 November (expired for more than 21 days); today's stays.
        codes: 1,
        // Alice's first declaration, replaced on 2 November.
        declarations: 1,
        // The sessions of 1 and 2 November.
        sessions: 2,
        consents: 0,
        sign_in_challenges: 0,
        tickets: 0,
        // A year and three years: nothing of a month ago (test/retention/access-audit-retention.test.ts).
        access_history: 0,
        checkpoint_lookups: 0,
        audit: 0,
        // No province node here: nothing was sent (test/retention/outbox-retention.test.ts).
        exchange_outbox: 0,
      });
      assert.deepEqual(report, dry);
      assert.deepEqual(await colours(), earlier);

      const db = hub.parts.db;
      const trips = await db.selectFrom('manifests').select('trip_date').orderBy('trip_date').execute();
      assert.deepEqual(
        trips.map((t) => t.trip_date),
        ['2026-12-03', '2026-12-03'],
      );
      // The exposure on the old train went with it; the one on the new train stays.
      assert.equal(await count('exposures'), 1);
      const caseTrips = await db.selectFrom('case_trips').select('trip_date').execute();
      assert.deepEqual(
        caseTrips.map((t) => t.trip_date),
        ['2026-12-03'],
      );
      const events = await db.selectFrom('health_events').select(['status', 'at']).orderBy('at').execute();
      assert.deepEqual(
        events.map((e) => e.status),
        ['confirmed', 'cleared', 'confirmed', 'confirmed', 'confirmed'],
      );
      assert.equal(await count('telecom_stays'), 1);
      assert.equal(await count('codes'), 1);
      const versions = await db.selectFrom('declarations').select('version').execute();
      assert.deepEqual(
        versions.map((v) => v.version),
        [2],
      );
      // The batches done with are marked; area risk (public data) is kept, its batch marked too.
      const batches = await db
        .selectFrom('feed_batches')
        .select(['batch_id', 'retention_done_at'])
        .orderBy('batch_id')
        .execute();
      assert.deepEqual(
        batches.filter((b) => b.retention_done_at !== null).map((b) => b.batch_id),
        ['health-old', 'rail-old', 'risk-old', 'tel-old'],
      );
      assert.equal(
        Number(
          (
            await db
              .selectFrom('area_risk_levels')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
        1,
      );
      // Alice is still signed in.
      const me = await hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(alice) });
      assert.equal(me.statusCode, 200);
    });

    test('a second purge finds nothing more; later, the newer evidence goes in its turn', async () => {
      const again = await hub.parts.services.retention.purge(hub.clock.now());
      assert.ok(again && Object.values(again).every((n) => n === 0), JSON.stringify(again));
      // 29 days on, the December evidence is past its window: Alice turns green; Erin's case stays red (her newest
      // event), and each holder's newest event is all that is left of the health feed.
      hub.clock.advance(29 * DAY);
      alice = await signIn(hub.app, ALICE);
      const later = await hub.parts.services.retention.purge(hub.clock.now());
      assert.ok(later);
      assert.deepEqual([later.railway, later.telecom, later.health], [2, 1, 0]);
      const now = await colours();
      assert.equal(now.ALICE, JSON.stringify(['NO_ABNORMALITY']));
      assert.equal(now.ERIN, 'red CASE_CONFIRMED');
      assert.equal(await count('manifests'), 0);
      assert.equal(await count('exposures'), 0);
      assert.equal(await count('health_events'), 5);
    });

    test('/metrics counts the rows purged per kind (the dry run not)', async () => {
      const res = await hub.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
      const sample = (kind: string) =>
        res.body.split('\n').find((l) => l.startsWith(`ymt_retention_purged_rows_total{kind="${kind}"} `));
      assert.equal(sample('railway'), 'ymt_retention_purged_rows_total{kind="railway"} 4');
      assert.equal(sample('declarations'), 'ymt_retention_purged_rows_total{kind="declarations"} 1');
      assert.equal(sample('tickets'), 'ymt_retention_purged_rows_total{kind="tickets"} 0');
    });
  });
}
