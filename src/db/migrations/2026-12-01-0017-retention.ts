/**
 * Frozen. Data that expires (issue 17, docs/operations.md#retention): what the purge (src/retention) needs to find
 * old rows without reading every row.
 *
 * - `feed_batches.retention_done_at`: when the purge finished with a batch (nothing of it is left that the windows
 *   remove), and `feed_batches_retention`, the batches it has not finished yet, by arrival: feed evidence is purged
 *   batch by batch, through each table's clustered or primary key (a batch's manifest rows are one `seq` range,
 *   its health events and telecom stays a `batch_id` prefix), so the large evidence tables get no new index.
 * - `declarations_modified`: modifications by date and person (the first fill has none), to find the versions a
 *   later one replaced, in order; `retention_cursors` keeps how far the purge got (the last date and person done).
 * - `sessions_expires`, `consents_expires`, `sign_in_challenges_expires`: the expired rows, by expiry. These tables
 *   are written once per sign-in or consent, not at feed rates.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('feed_batches').addColumn('retention_done_at', 'bigint').execute();
  await db.schema
    .createIndex('feed_batches_retention')
    .on('feed_batches')
    .columns(['received_at'])
    .where(sql.ref('retention_done_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('declarations_modified')
    .on('declarations')
    .columns(['modified_on', 'person_id'])
    .where(sql.ref('modified_on'), 'is not', null)
    .execute();
  await db.schema
    .createTable('retention_cursors')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('position', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('consents_expires').on('consents').column('expires_at').execute();
  await db.schema
    .createIndex('sign_in_challenges_expires')
    .on('sign_in_challenges')
    .column('expires_at')
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const index of [
    'sign_in_challenges_expires',
    'consents_expires',
    'sessions_expires',
    'declarations_modified',
    'feed_batches_retention',
  ])
    await db.schema.dropIndex(index).execute();
  await db.schema.dropTable('retention_cursors').execute();
  await db.schema.alterTable('feed_batches').dropColumn('retention_done_at').execute();
}
