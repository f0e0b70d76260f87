/**
 * Frozen. Department feeds: batches, quarantined records, the evidence tables, and a staging twin of each, so
 * that a batch streams into staging in small transactions and is published in one short transaction at the
 * end (a crash before that leaves nothing published; re-sending clears the leftovers and completes it).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

async function evidenceTables(db: Db, suffix: string): Promise<void> {
  // Every evidence row says where it came from: the sending province (if any), the batch and the line.
  const table = (name: string) =>
    db.schema
      .createTable(`${name}${suffix}`)
      .addColumn('province', 'text')
      .addColumn('batch_id', 'text', (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull());

  await table('health_events')
    .addColumn('doc_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint(`health_events${suffix}_pk`, ['batch_id', 'line'])
    .execute();

  await table('trips')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('trip_key', 'text', (c) => c.notNull())
    .addColumn('trip_date', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('seat', 'text', (c) => c.notNull())
    .addColumn('port', 'text')
    .addColumn('doc_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`trips${suffix}_pk`, ['source', 'batch_id', 'line'])
    .execute();

  await table('telecom_stays')
    .addColumn('phone_hash', 'text', (c) => c.notNull())
    .addColumn('city_code', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint(`telecom_stays${suffix}_pk`, ['batch_id', 'line'])
    .execute();

  await table('area_risk_levels')
    .addColumn('area_code', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('valid_to', 'bigint', (c) => c.notNull())
    .addColumn('authority', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`area_risk_levels${suffix}_pk`, ['batch_id', 'line'])
    .execute();

  await db.schema
    .createTable(`feed_quarantine${suffix}`)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('record_enc', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`feed_quarantine${suffix}_pk`, ['source', 'batch_id', 'line'])
    .execute();
}

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('feed_batches')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('province', 'text')
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('committed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('feed_batches_pk', ['source', 'batch_id'])
    .execute();
  await evidenceTables(db, '');
  await evidenceTables(db, '_staging');
  // The lookups the evidence serves: a person's events and trips, the travellers of a trip, a phone's stays,
  // an area's levels.
  await db.schema.createIndex('health_events_doc').on('health_events').column('doc_hash').execute();
  await db.schema.createIndex('trips_trip').on('trips').columns(['trip_key', 'position']).execute();
  await db.schema.createIndex('trips_doc').on('trips').column('doc_hash').execute();
  await db.schema.createIndex('telecom_stays_phone').on('telecom_stays').column('phone_hash').execute();
  await db.schema.createIndex('area_risk_levels_area').on('area_risk_levels').column('area_code').execute();
  await db.schema.alterTable('persons').addColumn('phone_hash', 'text').execute();
  await db.schema.createIndex('persons_phone').on('persons').column('phone_hash').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('persons_phone').execute();
  await db.schema.alterTable('persons').dropColumn('phone_hash').execute();
  for (const suffix of ['', '_staging']) {
    for (const t of ['health_events', 'trips', 'telecom_stays', 'area_risk_levels', 'feed_quarantine']) {
      await db.schema.dropTable(`${t}${suffix}`).execute();
    }
  }
  await db.schema.dropTable('feed_batches').execute();
}
