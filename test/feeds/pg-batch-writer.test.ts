import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { copyLine, copyText } from '../../src/feeds/pg-batch-writer.ts';
import { needsPostgres, startContext, type TestHub } from '../helpers/context.ts';
import { idNumber } from '../helpers/people.ts';

/** PostgreSQL's reading of one COPY text field (the escapes copyText writes). */
function unescape(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);
}

test('COPY text: nulls, numbers, and the four characters that must be escaped', () => {
  assert.equal(copyText(null), '\\N');
  assert.equal(copyText(42), '42');
  assert.equal(copyText('第一行\n第二行'), '第一行\\n第二行');
  assert.equal(copyText('a\tb\\c\rd'), 'a\\tb\\\\c\\rd');
  assert.equal(copyLine(['x', null, 7]), 'x\t\\N\t7\n');
});

test('property: every string survives COPY text and stays on one line of its own field', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.constant(null), fc.integer())), (row) => {
      const line = copyLine(row);
      if (row.length === 0) {
        assert.equal(line, '\n');
        return;
      }
      assert.ok(line.endsWith('\n'));
      assert.ok(!/[\n\r]/.test(line.slice(0, -1)), 'no raw line break inside the row');
      const fields = line.slice(0, -1).split('\t');
      assert.equal(fields.length, row.length, 'no raw tab inside a field');
      assert.deepEqual(
        fields.map(unescape),
        row.map((v) => (typeof v === 'number' ? String(v) : v)),
      );
    }),
    { numRuns: 2000 },
  );
});

describe('the PostgreSQL batch writer', needsPostgres(), () => {
  let hub: TestHub;
  before(async () => {
    hub = await startContext('postgres');
  });
  after(() => hub.close());

  test('a COPY the server refuses fails the batch, publishes nothing, and leaves the pool usable', async () => {
    const writer = await hub.parts.batchWriters.open();
    // 'x' is not an integer: the server refuses the COPY.
    writer.add('area_risk_levels', [null, 'refused-1', 1, '420100', 'high', 'x', 2, 'authority']);
    const published = (async () => {
      await writer.flush();
      await writer.publish({
        source: 'area-risk',
        batchId: 'refused-1',
        province: null,
        total: 1,
        accepted: 1,
        rejected: 0,
        receivedAt: 1,
        committedAt: 2,
        by: { actorKind: 'system', actorRef: 'test' },
      });
    })();
    await assert.rejects(published, /invalid input syntax/);
    await writer.discard();
    const rows = await hub.parts.db.selectFrom('feed_batches').select('batch_id').execute();
    assert.deepEqual(rows, []);
    // The pool still answers (the broken connection was not given back).
    for (let i = 0; i < 12; i++) {
      assert.equal((await hub.parts.db.selectFrom('area_risk_levels').select('line').execute()).length, 0);
    }
  });

  test(
    'more uploads at once than the pool has connections all finish (journeys still find a connection)',
    { timeout: 60_000 },
    async () => {
      const uploads = Array.from({ length: 14 }, (_, i) =>
        hub.parts.services.ingest.ingest(
          Readable.from([
            JSON.stringify({
              documentType: 'id_card',
              documentNumber: idNumber('11010119800101001'),
              trainNo: `G${700 + i}`,
              date: '2026-11-20',
              carriage: 1,
              seat: '01A',
            }),
          ]),
          {
            source: 'railway',
            format: 'ndjson',
            batchId: `many-${i}`,
            province: null,
            now: hub.clock.now(),
            by: { actorKind: 'system', actorRef: 'test' },
          },
        ),
      );
      const reports = await Promise.all(uploads);
      assert.deepEqual(
        reports.map((r) => r.accepted),
        Array.from({ length: 14 }, () => 1),
      );
    },
  );
});
