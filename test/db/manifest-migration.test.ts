/**
 * Migration 0006 carries the trips of an older database over into the manifest store: journeys, batch
 * references, manifest rows with their lookup keys, and each batch's seq range. The same database then goes on to
 * 0009 (one database: a migration run from scratch drops tables while other test files' migrators list them): status
 * entries recorded before keep working, with the case status their code means and no creator, and their holders'
 * snapshots are dropped.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { migrateUpTo, openDatabase, type OpenDatabase } from '../../src/db/database.ts';
import { docKey } from '../../src/feeds/journeys.repository.ts';
import { StatusEntriesRepository } from '../../src/status/status-entries.repository.ts';
import { ENGINES, TEST_PG_URL } from '../helpers/context.ts';

const HASH_A = randomBytes(32).toString('base64url');
const HASH_B = randomBytes(32).toString('base64url');

for (const engine of ENGINES) {
  describe(`migration 0006, the manifest store (${engine})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ymt-migration-'));
    let open: OpenDatabase | undefined;
    after(async () => {
      await open?.db.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    test('existing trips become journeys and manifest rows, batch by batch', async () => {
      open = await openDatabase({
        databaseUrl: engine === 'postgres' ? TEST_PG_URL : undefined,
        sqliteFile: join(dir, 'old.db'),
        ...(engine === 'postgres' ? { pgSchema: `t_${randomBytes(6).toString('hex')}` } : {}),
      });
      const db = open.db;
      await migrateUpTo(db, '2026-11-27-0005-status-snapshots', open.schema);
      // Written as the 0.1 layout had them (the table types of today's schema no longer name them).
      for (const [batch, at] of [
        ['r-1', 1],
        ['a-1', 2],
      ] as const) {
        await sql`INSERT INTO feed_batches (source, batch_id, province, total, accepted, rejected, received_at,
          committed_at, processed_at) VALUES (${batch === 'r-1' ? 'railway' : 'aviation'}, ${batch}, '440000',
          2, 2, 0, ${at}, ${at}, ${at})`.execute(db);
      }
      const trip = (source: string, batch: string, line: number, key: string, pos: number, hash: string) =>
        sql`INSERT INTO trips (province, batch_id, line, source, kind, trip_key, trip_date, position, seat, port,
          doc_hash) VALUES ('440000', ${batch}, ${line}, ${source}, ${source === 'railway' ? 'train' : 'flight'},
          ${key}, '2026-11-20', ${pos}, '1A', NULL, ${hash})`.execute(db);
      await trip('railway', 'r-1', 1, 'T:G1:2026-11-20', 3, HASH_A);
      await trip('railway', 'r-1', 2, 'T:G1:2026-11-20', 3, HASH_B);
      await trip('aviation', 'a-1', 1, 'F:CA1:2026-11-20', 20, HASH_A);
      await trip('aviation', 'a-1', 2, 'F:CA1:2026-11-20', 22, HASH_B);

      // B was exposed on the flight (row 22, two rows from the case A at row 20).
      await sql`INSERT INTO exposures (doc_hash, kind, trip_key, trip_date, trip_source, trip_batch_id, trip_line,
        case_batch_id, case_line, found_at) VALUES (${HASH_B}, 'flight', 'F:CA1:2026-11-20', '2026-11-20',
        'aviation', 'a-1', 2, 'h-1', 7, 99)`.execute(db);

      assert.deepEqual(await migrateUpTo(db, '2026-11-27-0006-manifest-store', open.schema), [
        '2026-11-27-0006-manifest-store',
      ]);

      const rows = await db
        .selectFrom('manifests as m')
        .innerJoin('journeys as j', 'j.id', 'm.journey_id')
        .innerJoin('feed_batch_refs as r', 'r.ref', 'm.batch_ref')
        .select([
          'r.source',
          'r.batch_id',
          'm.line',
          'j.trip_key',
          'j.kind',
          'm.position',
          'm.doc_key',
          'm.doc_hash',
        ])
        .orderBy('m.seq')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.source, r.batch_id, r.line, r.trip_key, r.kind, r.position, r.doc_hash]),
        [
          ['railway', 'r-1', 1, 'T:G1:2026-11-20', 'train', 3, HASH_A],
          ['railway', 'r-1', 2, 'T:G1:2026-11-20', 'train', 3, HASH_B],
          ['aviation', 'a-1', 1, 'F:CA1:2026-11-20', 'flight', 20, HASH_A],
          ['aviation', 'a-1', 2, 'F:CA1:2026-11-20', 'flight', 22, HASH_B],
        ],
      );
      for (const r of rows) assert.equal(r.doc_key, docKey(r.doc_hash));
      const batches = await db
        .selectFrom('feed_batches')
        .select(['batch_id', 'seq_from', 'seq_to'])
        .orderBy('committed_at')
        .execute();
      const seqs = await db.selectFrom('manifests').select('seq').orderBy('seq').execute();
      assert.deepEqual(
        batches.map((b) => [b.batch_id, b.seq_from, b.seq_to]),
        [
          ['r-1', seqs[0]?.seq, seqs[1]?.seq],
          ['a-1', seqs[2]?.seq, seqs[3]?.seq],
        ],
      );
      const exposures = await db.selectFrom('exposures').selectAll().execute();
      assert.deepEqual(exposures, [
        { trip_seq: seqs[3]?.seq, case_batch_id: 'h-1', case_line: 7, doc_hash: HASH_B, found_at: 99 },
      ]);
      const tables = (await db.introspection.getTables()).filter(
        (t) => engine === 'sqlite' || t.schema === open?.schema,
      );
      assert.ok(tables.some((t) => t.name === 'manifests'));
      assert.ok(!tables.some((t) => t.name === 'trips' || t.name.endsWith('_staging')), 'old tables dropped');
    });

    test('migration 0009: older status entries gain their case status; their holders’ snapshots are recomputed', async () => {
      assert.ok(open, 'the database the test above brought to 0006');
      const db = open.db;
      for (const id of ['p-1', 'p-2']) {
        await db
          .insertInto('persons')
          .values({
            person_id: id,
            document_type: 'id_card',
            document_hash: `hash-${id}`,
            name_hash: 'n',
            name_enc: 'x',
            document_number_enc: 'x',
            phone_enc: null,
            phone_hash: null,
            nationality: 'CHN',
            created_at: 1,
            updated_at: 1,
          })
          .execute();
        await db
          .insertInto('status_snapshots')
          .values({
            person_id: id,
            colour: 'green',
            reasons: '[]',
            rule_set: 'national-baseline@1.0.0',
            declared: 1,
            computed_at: 1,
            expires_at: 9e12,
          })
          .execute();
      }
      // As the 0.1 layout wrote them: no case status, no creator, no end.
      for (const [entryId, code] of [
        ['e-1', 'CASE_CONFIRMED'],
        ['e-2', 'SOMETHING_ELSE'],
      ] as const) {
        await db
          .insertInto('status_entries')
          .values({
            entry_id: entryId,
            person_id: 'p-1',
            colour: 'red',
            reason_code: code,
            reason_text: '确诊',
            reason_text_en: 'Confirmed',
            source: 'health',
            source_ref: 'demo',
            valid_from: 1,
            valid_until: null,
            created_at: 1,
          })
          .execute();
      }
      assert.deepEqual(await migrateUpTo(db, '2026-11-30-0009-status-entries', open.schema), [
        '2026-11-27-0007-federation',
        '2026-11-27-0008-console',
        '2026-11-30-0009-status-entries',
      ]);
      const entries = new StatusEntriesRepository();
      const [confirmed, other] = [await entries.get(db, 'e-1'), await entries.get(db, 'e-2')];
      assert.deepEqual(
        [confirmed?.caseStatus, confirmed?.createdBy, confirmed?.reason, confirmed?.ended],
        ['confirmed', null, null, null],
      );
      assert.equal(other?.caseStatus, null);
      assert.deepEqual((await entries.active(db, 'p-1', 1000)).map((e) => e.entryId).sort(), ['e-1', 'e-2']);
      const snapshots = await db.selectFrom('status_snapshots').select('person_id').execute();
      assert.deepEqual(
        snapshots.map((s) => s.person_id),
        ['p-2'],
      );
    });
  });
}
