/**
 * The console's batches section (inject, SQLite and PostgreSQL): published batches newest first — the operator
 * sees all, a department its source (and province), a province its own — and a batch's quarantined records with
 * line, code and reason, the record masked, with the same visibility as the batch.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maskIdNumber, maskPhone } from '../../src/privacy/masking.ts';
import { ENGINES } from '../helpers/context.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { ALICE, BOB } from '../helpers/people.ts';
import { seedBatches, T0, useConsole } from './console-fixture.ts';

for (const engine of ENGINES) {
  describe(`console: batches (${engine})`, () => {
    const c = useConsole(engine, async (c) => {
      await seedBatches(c);
      // A telecom batch, newest of all.
      c.hub.clock.advance(60);
      await sendFeed(c.hub, 'telecom', 'tel-1', [
        {
          phone: ALICE.phone,
          cityCode: '420100',
          firstSeen: '2026-11-20T08:00:00+08:00',
          lastSeen: '2026-11-20T13:00:00+08:00',
        },
      ]);
    });
    const { ok, fails } = c;

    test('batches: newest first; the operator sees all, a department its source (and province), a province its own', async () => {
      type B = {
        source: string;
        batchId: string;
        province: string | null;
        total: number;
        quarantined: number;
      };
      const ids = async (who: string, query = '') =>
        (await ok<{ batches: B[] }>(who, 'GET', `/batches${query}`)).batches.map((b) => b.batchId);
      const every = await ids('operator');
      assert.deepEqual(
        every.filter((b) => !b.startsWith('console-')),
        ['tel-1', 'air-1', 'rail-gd', 'rail-bj'],
      );
      assert.deepEqual(await ids('operator', '?source=railway'), ['rail-gd', 'rail-bj']);
      assert.deepEqual(await ids('operator', '?source=railway&limit=1'), ['rail-gd']);
      assert.deepEqual(await ids('railway'), ['rail-gd', 'rail-bj']);
      assert.deepEqual(await ids('railway', '?source=railway'), ['rail-gd', 'rail-bj']);
      assert.deepEqual(await ids('railwayGd'), ['rail-gd']);
      assert.deepEqual(await ids('aviation'), ['air-1']);
      assert.deepEqual(await ids('bj'), ['rail-bj']);
      assert.deepEqual(await ids('gd', '?source=aviation'), []);
      await fails('railway', 'GET', '/batches?source=aviation', 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
      await fails('operator', 'GET', '/batches?limit=0', 400, 'YMT_ERR_VALIDATION');
      await fails('operator', 'GET', '/batches?limit=501', 400, 'YMT_ERR_VALIDATION');
      await fails('operator', 'GET', '/batches?source=post', 400, 'YMT_ERR_VALIDATION');
      const bj = (await ok<{ batches: (B & Record<string, unknown>)[] }>('bj', 'GET', '/batches')).batches[0];
      assert.deepEqual(bj, {
        source: 'railway',
        batchId: 'rail-bj',
        province: '110000',
        total: 3,
        accepted: 1,
        quarantined: 2,
        receivedAt: new Date(T0).toISOString(),
        committedAt: new Date(T0).toISOString(),
        processedAt: new Date(T0).toISOString(),
        status: 'processed',
      });
    });

    test('quarantine: line, code and reason, the record masked; the same visibility as the batch', async () => {
      type Q = {
        quarantined: number;
        records: {
          line: number;
          code: string;
          field: string;
          reason: string;
          reasonEn: string;
          record: string;
        }[];
        nextAfterLine: number | null;
      };
      const url = '/batches/railway/rail-bj/quarantine';
      for (const who of ['operator', 'bj', 'railway']) {
        const q = await ok<Q>(who, 'GET', url);
        assert.equal(q.quarantined, 2);
        assert.deepEqual(
          q.records.map((r) => [r.line, r.code, r.field, r.reasonEn]),
          [
            [2, 'YMT_ERR_FEED_FIELD', 'carriage', 'A field has an invalid value'],
            [3, 'YMT_ERR_FEED_UNKNOWN_FIELD', 'phone', 'The record has an unknown field'],
          ],
        );
        const text = JSON.stringify(q);
        assert.ok(
          !text.includes(ALICE.documentNumber) && !text.includes(BOB.documentNumber),
          'no clear ID number',
        );
        assert.ok(!text.includes(BOB.phone), 'no clear phone');
        const first = JSON.parse(q.records[0]?.record ?? '{}') as Record<string, unknown>;
        assert.deepEqual(first, {
          documentType: 'id_card',
          trainNo: 'G1',
          date: '2026-11-20',
          seat: '01A',
          documentNumber: maskIdNumber(ALICE.documentNumber),
          carriage: 99,
        });
        assert.equal(
          (JSON.parse(q.records[1]?.record ?? '{}') as { phone: string }).phone,
          maskPhone(BOB.phone),
        );
        assert.equal(q.nextAfterLine, null);
      }
      const page = await ok<Q>('operator', 'GET', `${url}?limit=1`);
      assert.deepEqual([page.records.map((r) => r.line), page.nextAfterLine], [[2], 2]);
      const next = await ok<Q>('operator', 'GET', `${url}?limit=1&afterLine=2`);
      assert.deepEqual([next.records.map((r) => r.line), next.nextAfterLine], [[3], null]);
      await fails('gd', 'GET', url, 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
      await fails('railwayGd', 'GET', url, 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
      await fails('aviation', 'GET', url, 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
      await fails('operator', 'GET', '/batches/railway/nope/quarantine', 404, 'YMT_ERR_FEED_BATCH_NOT_FOUND');
      await fails('operator', 'GET', '/batches/railway/a%20b/quarantine', 400, 'YMT_ERR_VALIDATION');
    });
  });
}
