/**
 * Frozen. The exposure engine's tables: the trips of cases (`case_trips`) and the co-travel exposures found
 * (`exposures`), each naming the holder's own manifest record and the case event that caused it.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // When the evidence of a published batch has been processed (exposures found); null until then, so a
  // crash between publishing and processing is finished by the next upload of the same batch.
  await db.schema.alterTable('feed_batches').addColumn('processed_at', 'bigint').execute();
  await db.schema
    .createTable('case_trips')
    .addColumn('trip_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('trip_date', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('case_doc_hash', 'text', (c) => c.notNull())
    .addColumn('case_batch_id', 'text', (c) => c.notNull())
    .addColumn('case_line', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_trips_pk', [
      'trip_key',
      'case_doc_hash',
      'position',
      'case_batch_id',
      'case_line',
    ])
    .execute();
  await db.schema
    .createTable('exposures')
    .addColumn('doc_hash', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('trip_key', 'text', (c) => c.notNull())
    .addColumn('trip_date', 'text', (c) => c.notNull())
    .addColumn('trip_source', 'text', (c) => c.notNull())
    .addColumn('trip_batch_id', 'text', (c) => c.notNull())
    .addColumn('trip_line', 'integer', (c) => c.notNull())
    .addColumn('case_batch_id', 'text', (c) => c.notNull())
    .addColumn('case_line', 'integer', (c) => c.notNull())
    .addColumn('found_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('exposures_pk', [
      'doc_hash',
      'trip_key',
      'case_batch_id',
      'case_line',
      'trip_batch_id',
      'trip_line',
    ])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('exposures').execute();
  await db.schema.dropTable('case_trips').execute();
  await db.schema.alterTable('feed_batches').dropColumn('processed_at').execute();
}
