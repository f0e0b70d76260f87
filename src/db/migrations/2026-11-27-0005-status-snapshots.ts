/** Frozen. The status snapshot each holder's code is shown from (ARCHITECTURE.md principle 2). */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('status_snapshots')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('rule_set', 'text', (c) => c.notNull())
    .addColumn('declared', 'integer', (c) => c.notNull())
    .addColumn('computed_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('status_snapshots').execute();
}
