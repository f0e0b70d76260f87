/**
 * Frozen. The operations console's accounts: national operations staff (`operator`) and provincial authorities
 * (`province`), each with its own bearer token (`ymto_…`, stored as a SHA-256 like department tokens).
 * Departments sign in to the console with their feed credential and have no row here. And two lookups the
 * console makes: the newest batches first, and when each province last pushed status. And `area_risk_ends`: an
 * operator ending an area risk entry early (or withdrawing it: ending it at its start), with who and why; the
 * entry itself is never changed. And `status_rule_sets`: status rule set versions an operator published, each
 * taking over from its `validFrom` (the shipped baseline needs no row).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('console_accounts')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('province', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('disabled_at', 'bigint')
    .execute();
  await db.schema
    .createTable('area_risk_ends')
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('area_risk_ends_pk', ['batch_id', 'line'])
    .execute();
  await db.schema
    .createTable('status_rule_sets')
    .addColumn('rule_set_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('status_rule_sets_pk', ['rule_set_id', 'version'])
    .execute();
  await db.schema.createIndex('feed_batches_received').on('feed_batches').column('received_at').execute();
  await db.schema
    .createIndex('province_status_received')
    .on('province_status')
    .columns(['province', 'received_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('province_status_received').execute();
  await db.schema.dropIndex('feed_batches_received').execute();
  await db.schema.dropTable('status_rule_sets').execute();
  await db.schema.dropTable('area_risk_ends').execute();
  await db.schema.dropTable('console_accounts').execute();
}
