import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FeedSource } from '../../src/feeds/feed-records.domain.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { ENGINES, startApp, TestClock, type TestApp } from '../helpers/context.ts';
import { ALICE, BOB, bearer, declaredHolder, HEALTHY_DECLARATION, signIn } from '../helpers/people.ts';

interface Health {
  colour: string;
  reasons: { code: string; text: string; evidence: { source: string; batchId: string; record: number } }[];
  asOf: string;
}

for (const engine of ENGINES) {
  describe(`the holder's health functions (${engine})`, () => {
    let hub: TestApp;
    let alice: string;
    before(async () => {
      hub = await startApp(engine, { clock: new TestClock(Date.parse('2026-11-22T02:00:00Z')) });
      alice = await declaredHolder(hub, ALICE, {
        ...HEALTHY_DECLARATION,
        recentCities: ['440305', '310000'],
      });
      const send = (source: FeedSource, batchId: string, records: object[]) =>
        sendFeed(hub, source, batchId, records);
      const alicePerson = { documentType: 'id_card', documentNumber: ALICE.documentNumber };
      const bob = { documentType: 'id_card', documentNumber: BOB.documentNumber };
      await send('railway', 'rail-1', [
        { ...alicePerson, trainNo: 'G123', date: '2026-11-18', carriage: 5, seat: '01A' },
        { ...bob, trainNo: 'G123', date: '2026-11-18', carriage: 5, seat: '02A' },
      ]);
      await send('immigration', 'nia-1', [
        { ...alicePerson, flightNo: 'CA934', date: '2026-11-16', port: 'PEK' },
        { ...bob, flightNo: 'CA934', date: '2026-11-16', port: 'PEK' },
      ]);
      await send('health', 'case-1', [{ ...bob, status: 'confirmed', at: '2026-11-20T08:00:00+08:00' }]);
      await send('telecom', 'tel-1', [
        {
          phone: ALICE.phone,
          cityCode: '440300',
          firstSeen: '2026-11-19T08:00:00+08:00',
          lastSeen: '2026-11-19T20:00:00+08:00',
        },
        {
          phone: ALICE.phone,
          cityCode: '420100',
          firstSeen: '2026-11-20T08:00:00+08:00',
          lastSeen: '2026-11-20T13:00:00+08:00',
        },
      ]);
      await send('area-risk', 'risk-1', [
        {
          areaCode: '420100',
          level: 'high',
          from: '2026-11-15T00:00:00+08:00',
          to: '2026-12-15T00:00:00+08:00',
        },
      ]);
    });
    after(() => hub.close());

    const get = async <T>(path: string) => {
      const res = await hub.app.inject({
        method: 'GET',
        url: `/api/v1/me/health${path}`,
        headers: bearer(alice),
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<T>();
    };

    test('the risk alert: colour and every reason with its evidence record', async () => {
      const h = await get<Health>('');
      assert.equal(h.colour, 'yellow');
      assert.deepEqual(
        h.reasons.map((r) => [r.code, r.evidence.source, r.evidence.batchId, r.evidence.record]).sort(),
        [
          ['CO_TRAVEL', 'railway', 'rail-1', 1],
          ['INBOUND_CO_PASSENGER', 'immigration', 'nia-1', 1],
          ['RISK_AREA_VISIT', 'telecom', 'tel-1', 2],
        ],
      );
      assert.equal(h.asOf, hub.clock.now().toISOString());
      // The code shows the same colour.
      const code = await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(alice) });
      assert.equal(code.json<{ colour: string }>().colour, 'yellow');
    });

    test('case status, co-travel and inbound co-passengers never name the case', async () => {
      assert.deepEqual(await get('/case-status'), { status: 'none', isCase: false });
      const trips = await get<object[]>('/co-travel');
      assert.deepEqual(trips, [
        {
          kind: 'train',
          tripNo: 'G123',
          date: '2026-11-18',
          evidence: { source: 'railway', batchId: 'rail-1', record: 1 },
        },
      ]);
      assert.deepEqual(await get('/inbound'), [
        {
          kind: 'inbound_flight',
          tripNo: 'CA934',
          date: '2026-11-16',
          evidence: { source: 'immigration', batchId: 'nia-1', record: 1 },
        },
      ]);
      const body = JSON.stringify([trips, await get('/inbound')]);
      assert.ok(!body.includes(BOB.documentNumber) && !body.includes('case-1'));
    });

    test('the itinerary marks declared cities not seen and stays not declared', async () => {
      const it = await get<{
        telecom: { cityCode: string; counted: boolean }[];
        mismatches: { declaredNotSeen: { cityCode: string }[]; seenNotDeclared: { cityCode: string }[] };
      }>('/itinerary');
      assert.deepEqual(
        it.telecom.map((t) => [t.cityCode, t.counted]),
        [
          ['440300', true],
          ['420100', true],
        ],
      );
      assert.deepEqual(
        it.mismatches.declaredNotSeen.map((c) => c.cityCode),
        ['310000'],
      );
      assert.deepEqual(
        it.mismatches.seenNotDeclared.map((c) => c.cityCode),
        ['420100'],
      );
    });

    test('the risk level of every visited city and of the latest check-in', async () => {
      const a = await get<{
        cities: { cityCode: string; level: string }[];
        latestCheckIn: { cityCode: string; level: string };
      }>('/areas');
      assert.deepEqual(
        a.cities.map((c) => [c.cityCode, c.level]),
        [
          ['310000', 'low'],
          ['420100', 'high'],
          ['440300', 'low'],
        ],
      );
      assert.deepEqual([a.latestCheckIn.cityCode, a.latestCheckIn.level], ['420100', 'high']);
    });

    test('the colour turns back once the window has passed', async () => {
      hub.clock.nowMs = Date.parse('2026-12-20T02:00:00Z');
      alice = await signIn(hub.app, ALICE);
      assert.equal((await get<Health>('')).colour, 'green');
      assert.deepEqual(await get('/co-travel'), []);
    });

    test('the health functions need a session', async () => {
      const res = await hub.app.inject({ method: 'GET', url: '/api/v1/me/health' });
      assert.equal(res.statusCode, 401);
    });
  });
}
