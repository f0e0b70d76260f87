/**
 * Frozen. Corrected feed records (issue 13, docs/feeds.md#corrected-records): an owner's accepted correction of
 * one record — retract it, or amend it (retract, then a one-record replacement batch) — kept in
 * `record_corrections` with who decided, why, when and the ticket behind it; one correction per record.
 *
 * The evidence tables get `corrected_at`, set in the same transaction as the correction row: the evidence reads and
 * the exposure engine keep `corrected_at IS NULL`, a test on a row they already read (no extra lookup, no new
 * index on the hot tables; adding a nullable column without a default rewrites nothing on either engine). The
 * original row stays, marked, so it is still shown as corrected.
 *
 * `codes.withdrawn_at`: a hub code withdrawn because the evidence behind its colour was corrected (the hub's online
 * verification refuses it). `codes_expires` finds the codes still live (the last quarter of an hour of them, an
 * append-only range: codes are issued in time order) without reading every code ever issued.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const EVIDENCE_TABLES = ['health_events', 'manifests', 'telecom_stays', 'area_risk_levels'];

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('record_corrections')
    .addColumn('correction_id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    // An amendment's replacement batch (same source and province as the original) and a keyed hash of what it
    // carries, so that re-running an interrupted amendment finishes it and nothing else.
    .addColumn('replacement_batch_id', 'text')
    .addColumn('replacement_hash', 'text')
    .addColumn('ticket_id', 'text')
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('record_corrections_record', ['source', 'batch_id', 'line'])
    .execute();
  await db.schema
    .createIndex('record_corrections_ticket')
    .on('record_corrections')
    .column('ticket_id')
    .execute();
  for (const table of EVIDENCE_TABLES) {
    await db.schema.alterTable(table).addColumn('corrected_at', 'bigint').execute();
  }
  await db.schema.alterTable('codes').addColumn('withdrawn_at', 'bigint').execute();
  await db.schema.createIndex('codes_expires').on('codes').column('expires_at').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('codes_expires').execute();
  await db.schema.alterTable('codes').dropColumn('withdrawn_at').execute();
  for (const table of EVIDENCE_TABLES) {
    await db.schema.alterTable(table).dropColumn('corrected_at').execute();
  }
  await db.schema.dropTable('record_corrections').execute();
}
