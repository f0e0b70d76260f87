import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { contactRange, DEFAULT_EXPOSURE, tripWindow } from '../../src/exposure/exposure.domain.ts';
import type { FeedSource } from '../../src/feeds/feed-records.domain.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { ENGINES, startContext, type TestHub } from '../helpers/context.ts';
import { idNumber } from '../helpers/people.ts';

const person = (n: number) => idNumber(`44030519900101${String(n).padStart(3, '0')}`);
const [A, B, C, D, E, F, G, H, OLD] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(person) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const doc = (documentNumber: string) => ({ documentType: 'id_card', documentNumber });

test('proximity: same carriage, ±3 rows, the whole inbound flight', () => {
  assert.deepEqual(contactRange('train', 5, DEFAULT_EXPOSURE), { min: 5, max: 5 });
  assert.deepEqual(contactRange('flight', 23, DEFAULT_EXPOSURE), { min: 20, max: 26 });
  assert.equal(contactRange('inbound_flight', 0, DEFAULT_EXPOSURE), undefined, 'the whole flight');
  assert.deepEqual(tripWindow(Date.parse('2026-11-20T08:00:00+08:00'), DEFAULT_EXPOSURE), {
    from: '2026-11-06',
    to: '2026-11-20',
  });
});

for (const engine of ENGINES) {
  describe(`the exposure engine (${engine})`, () => {
    let hub: TestHub;
    before(async () => {
      hub = await startContext(engine);
    });
    after(() => hub.close());

    const send = (source: FeedSource, batchId: string, records: object[]) =>
      sendFeed(hub, source, batchId, records);
    const hash = (n: string) =>
      hub.parts.repositories.persons.documentHash({ type: 'id_card', number: n, nationality: 'CHN' });
    const exposed = async () => {
      const rows = await hub.parts.db
        .selectFrom('exposures as e')
        .innerJoin('manifests as m', 'm.seq', 'e.trip_seq')
        .innerJoin('journeys as j', 'j.id', 'm.journey_id')
        .select(['e.doc_hash', 'j.kind', 'j.trip_key'])
        .execute();
      const names = new Map([A, B, C, D, E, F, G, H, OLD].map((n, i) => [hash(n), 'ABCDEFGHO'[i]]));
      return rows.map((r) => `${names.get(r.doc_hash) ?? '?'} ${r.kind} ${r.trip_key}`).sort();
    };

    test('a new case flags the close contacts of every trip in its window', async () => {
      await send('railway', 'rail-1', [
        { ...doc(A), trainNo: 'G123', date: '2026-11-10', carriage: 5, seat: '01A' },
        { ...doc(B), trainNo: 'G123', date: '2026-11-10', carriage: 5, seat: '09F' },
        { ...doc(C), trainNo: 'G123', date: '2026-11-10', carriage: 6, seat: '01A' },
        { ...doc(OLD), trainNo: 'G9', date: '2026-10-20', carriage: 1, seat: '01A' },
        { ...doc(A), trainNo: 'G9', date: '2026-10-20', carriage: 1, seat: '02A' },
      ]);
      await send('aviation', 'air-1', [
        { ...doc(A), flightNo: 'MU5101', date: '2026-11-12', seat: '23C' },
        { ...doc(D), flightNo: 'MU5101', date: '2026-11-12', seat: '20A' },
        { ...doc(E), flightNo: 'MU5101', date: '2026-11-12', seat: '27A' },
      ]);
      await send('immigration', 'nia-1', [
        { ...doc(A), flightNo: 'CA934', date: '2026-11-08', port: 'PEK' },
        { ...doc(F), flightNo: 'CA934', date: '2026-11-08', port: 'PEK' },
      ]);
      assert.deepEqual(await exposed(), []);
      await send('health', 'case-1', [{ ...doc(A), status: 'confirmed', at: '2026-11-15T08:00:00+08:00' }]);
      assert.deepEqual(await exposed(), [
        'B train T:G123:2026-11-10',
        'D flight F:MU5101:2026-11-12',
        'F inbound_flight I:CA934:2026-11-08',
      ]);
    });

    test('a new manifest row is flagged at once when a case travelled on that trip', async () => {
      await send('railway', 'rail-2', [
        { ...doc(H), trainNo: 'G123', date: '2026-11-10', carriage: 5, seat: '03C' },
      ]);
      assert.ok((await exposed()).includes('H train T:G123:2026-11-10'));
    });

    test("a case's own manifest arriving later flags its co-travellers, in the same batch too", async () => {
      await send('health', 'case-2', [{ ...doc(G), status: 'suspected', at: '2026-11-18T08:00:00+08:00' }]);
      await send('railway', 'rail-3', [
        { ...doc(C), trainNo: 'D7', date: '2026-11-17', carriage: 2, seat: '01A' },
        { ...doc(G), trainNo: 'D7', date: '2026-11-17', carriage: 2, seat: '05B' },
      ]);
      assert.ok((await exposed()).includes('C train T:D7:2026-11-17'));
    });

    test('cleared people and close contacts are not cases; processing twice changes nothing', async () => {
      const before = await exposed();
      await send('health', 'not-cases', [
        { ...doc(E), status: 'cleared', at: '2026-11-15T08:00:00+08:00' },
        { ...doc(E), status: 'close_contact', at: '2026-11-15T09:00:00+08:00' },
      ]);
      await send('health', 'case-1', [{ ...doc(A), status: 'confirmed', at: '2026-11-15T08:00:00+08:00' }]);
      assert.deepEqual(await exposed(), before);
      assert.ok(!before.some((x) => x.startsWith('O ')), 'a trip outside the window flags nobody');
      assert.ok(
        !before.some((x) => x.startsWith('A ') || x.startsWith('G ')),
        'a case is not its own contact',
      );
    });
  });
}
