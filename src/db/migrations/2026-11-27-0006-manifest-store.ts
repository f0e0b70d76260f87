/**
 * Frozen. The manifest store, laid out for the write path (docs/performance.md): 10 M rows and more, appended
 * at well over 100 k rows/s.
 *
 * - `journeys`: one row per trip (train, flight or inbound flight on a date), so that manifest rows carry a small
 *   integer instead of the trip's text key.
 * - `manifests`: one row per traveller on a journey, appended in `seq` order. Its two indexes both lead with
 *   something that is new for each day's manifests — the journey id (allocated as journeys appear) and the
 *   trip date — so a day's rows land in a small, fresh part of each index instead of all over it. A person's
 *   trips are found by `trip_date IN (…days…) AND doc_key = ?` (doc_key: the first 48 bits of the keyed hash,
 *   the full hash is compared after).
 * - `feed_batch_refs`: a small integer per batch, which manifest rows carry instead of the batch id's text;
 *   `feed_batches.seq_from/seq_to` bound a published batch's manifest rows.
 * - `exposures` becomes narrow: the holder's manifest row (`trip_seq`) and the causing case event, keyed by the
 *   case event first (a health batch's exposures are written side by side) and indexed by `trip_seq`: a
 *   holder's exposures are found from their own manifest rows in the window; the trip, its date and provenance
 *   come from the manifest row.
 * - The staging tables go: a batch is now spooled outside the evidence tables (a spool file on SQLite, one COPY
 *   transaction on PostgreSQL) and published at once.
 *
 * Existing trips and exposures are carried over.
 */
import { PostgresAdapter, sql, type ColumnDefinitionBuilderCallback, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const STAGING = [
  'health_events_staging',
  'trips_staging',
  'telecom_stays_staging',
  'area_risk_levels_staging',
  'feed_quarantine_staging',
];

/** The first 48 bits of a base64url keyed hash, as a safe integer (the manifest lookup key). */
function docKey(docHash: string): number {
  return Buffer.from(docHash, 'base64url').readIntBE(0, 6);
}

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  // An integer key the database allocates: SQLite's rowid, PostgreSQL's identity column.
  const serial = (name: string): [string, 'bigint' | 'integer', ColumnDefinitionBuilderCallback] =>
    pg
      ? [name, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()]
      : [name, 'integer', (c) => c.primaryKey()];

  await db.schema
    .createTable('feed_batch_refs')
    .addColumn(...serial('ref'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addUniqueConstraint('feed_batch_refs_batch', ['source', 'batch_id'])
    .execute();
  await db.schema.alterTable('feed_batches').addColumn('seq_from', 'bigint').execute();
  await db.schema.alterTable('feed_batches').addColumn('seq_to', 'bigint').execute();

  await db.schema
    .createTable('journeys')
    .addColumn(...serial('id'))
    .addColumn('trip_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('trip_date', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('manifests')
    .addColumn(...serial('seq'))
    .addColumn('batch_ref', 'bigint', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('journey_id', 'bigint', (c) => c.notNull())
    .addColumn('trip_date', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('seat', 'text', (c) => c.notNull())
    .addColumn('port', 'text')
    .addColumn('doc_key', 'bigint', (c) => c.notNull())
    .addColumn('doc_hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('manifests_journey')
    .on('manifests')
    .columns(['journey_id', 'position'])
    .execute();
  await db.schema.createIndex('manifests_doc').on('manifests').columns(['trip_date', 'doc_key']).execute();
  await db.schema.createIndex('case_trips_batch').on('case_trips').column('case_batch_id').execute();

  // Carry existing trips over, batch by batch (each batch's rows stay contiguous in seq).
  await sql`INSERT INTO feed_batch_refs (source, batch_id) SELECT source, batch_id FROM feed_batches ORDER BY committed_at, source, batch_id`.execute(
    db,
  );
  await sql`INSERT INTO journeys (trip_key, kind, trip_date) SELECT trip_key, min(kind), min(trip_date) FROM trips GROUP BY trip_key ORDER BY min(trip_date), trip_key`.execute(
    db,
  );
  const refs = await db
    .selectFrom('feed_batch_refs')
    .select(['ref', 'source', 'batch_id'])
    .orderBy('ref')
    .execute();
  for (const r of refs as { ref: number; source: string; batch_id: string }[]) {
    const rows = (await db
      .selectFrom('trips as t')
      .innerJoin('journeys as j', 'j.trip_key', 't.trip_key')
      .select(['t.line', 'j.id', 't.trip_date', 't.position', 't.seat', 't.port', 't.doc_hash'])
      .where('t.source', '=', r.source)
      .where('t.batch_id', '=', r.batch_id)
      .orderBy('t.line')
      .execute()) as {
      line: number;
      id: number;
      trip_date: string;
      position: number;
      seat: string;
      port: string | null;
      doc_hash: string;
    }[];
    if (rows.length === 0) continue;
    let first: number | undefined;
    let last = 0;
    for (let i = 0; i < rows.length; i += 500) {
      const inserted = await db
        .insertInto('manifests')
        .values(
          rows.slice(i, i + 500).map((t) => ({
            batch_ref: r.ref,
            line: t.line,
            journey_id: t.id,
            trip_date: t.trip_date,
            position: t.position,
            seat: t.seat,
            port: t.port,
            doc_key: docKey(t.doc_hash),
            doc_hash: t.doc_hash,
          })),
        )
        .returning('seq')
        .execute();
      for (const { seq } of inserted as { seq: number | string }[]) {
        first ??= Number(seq);
        last = Number(seq);
      }
    }
    await db
      .updateTable('feed_batches')
      .set({ seq_from: first, seq_to: last })
      .where('source', '=', r.source)
      .where('batch_id', '=', r.batch_id)
      .execute();
  }
  // Exposures, narrow: the old rows name their manifest record by (source, batch, line).
  await db.schema
    .createTable('exposures_v2')
    .addColumn('trip_seq', 'bigint', (c) => c.notNull())
    .addColumn('case_batch_id', 'text', (c) => c.notNull())
    .addColumn('case_line', 'integer', (c) => c.notNull())
    .addColumn('doc_hash', 'text', (c) => c.notNull())
    .addColumn('found_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('exposures_v2_pk', ['case_batch_id', 'case_line', 'trip_seq'])
    .execute();
  await db.schema.createIndex('manifests_batch_tmp').on('manifests').columns(['batch_ref', 'line']).execute();
  await sql`INSERT INTO exposures_v2 (trip_seq, case_batch_id, case_line, doc_hash, found_at)
    SELECT m.seq, e.case_batch_id, e.case_line, m.doc_hash, e.found_at FROM exposures e
    JOIN feed_batch_refs r ON r.source = e.trip_source AND r.batch_id = e.trip_batch_id
    JOIN manifests m ON m.batch_ref = r.ref AND m.line = e.trip_line`.execute(db);
  await db.schema.dropIndex('manifests_batch_tmp').execute();
  await db.schema.dropTable('exposures').execute();
  await db.schema.alterTable('exposures_v2').renameTo('exposures').execute();
  await db.schema.createIndex('exposures_trip').on('exposures').column('trip_seq').execute();

  await db.schema.dropTable('trips').execute();
  for (const t of STAGING) await db.schema.dropTable(t).execute();
}

export async function down(): Promise<void> {
  // The staging tables and the old trips layout are not brought back: restore from a backup instead.
  throw new Error('migration 0006 (manifest store) cannot be undone');
}
