/**
 * Frozen. Tickets become one workflow for corrections (我要纠错) and non-recognition reports (docs/corrections.md):
 * a state (`submitted` → `routed` → `in_review` → `accepted` | `rejected` → `closed`, reopened once) instead of
 * open/answered; the owner who answers (`department:<source>[:<province>]`, `province:<code>`, `operators`); the
 * current stage's deadline and when it was escalated; when it was first answered and resolved (the oversight
 * figures); the disputed record's key (one ticket per record and holder). Every transition is kept
 * (`ticket_events`: who, when, from, to, why — encrypted), with the holder's attachments (`ticket_attachments`,
 * encrypted) and the notifications waiting for a channel (`holder_notifications`). Existing reports: open ones are
 * `routed` to their province, answered ones `closed`.
 */
import { PostgresAdapter, sql, type ColumnDefinitionBuilderCallback, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** The first-answer deadline of reports open before this migration. */
const DAY_MS = 86_400_000;

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serial = (name: string): [string, 'bigint' | 'integer', ColumnDefinitionBuilderCallback] =>
    pg
      ? [name, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()]
      : [name, 'integer', (c) => c.primaryKey()];

  // One column per statement: SQLite adds one at a time.
  for (const [name, type, fill] of [
    ['state', 'text', "'routed'"],
    ['owner', 'text', "''"],
    ['reopen_count', 'integer', '0'],
  ] as const)
    await db.schema
      .alterTable('tickets')
      .addColumn(name, type, (c) => c.notNull().defaultTo(sql.raw(fill)))
      .execute();
  for (const name of ['due_at', 'escalated_at', 'first_answer_at', 'resolved_at'])
    await db.schema.alterTable('tickets').addColumn(name, 'bigint').execute();
  await db.schema.alterTable('tickets').addColumn('evidence_key', 'text').execute();

  await db
    .updateTable('tickets')
    .set({ owner: sql`'province:' || province` })
    .execute();
  await db
    .updateTable('tickets')
    .set({ state: 'routed', due_at: sql`created_at + ${DAY_MS}` })
    .where('status', '=', 'open')
    .execute();
  await db
    .updateTable('tickets')
    .set({ state: 'closed', first_answer_at: sql`updated_at`, resolved_at: sql`updated_at` })
    .where('status', '=', 'answered')
    .execute();
  await db.schema.dropIndex('tickets_province').execute();
  // The old `status` goes. On PostgreSQL it stays, nullable and unused: dropping a column makes a concurrent
  // catalog read elsewhere in the database (another schema's migrator listing tables: several hubs, or tests, on
  // one server) fail with "column does not exist".
  if (pg)
    await db.schema
      .alterTable('tickets')
      .alterColumn('status', (c) => c.dropNotNull())
      .execute();
  else await db.schema.alterTable('tickets').dropColumn('status').execute();
  await db.schema.createIndex('tickets_owner').on('tickets').columns(['owner', 'state']).execute();
  await db.schema.createIndex('tickets_due').on('tickets').columns(['state', 'due_at']).execute();
  await db.schema
    .createIndex('tickets_evidence')
    .on('tickets')
    .columns(['person_id', 'evidence_key'])
    .execute();

  await db.schema
    .createTable('ticket_events')
    .addColumn(...serial('id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('reason_enc', 'text')
    .execute();
  await db.schema
    .createIndex('ticket_events_ticket')
    .on('ticket_events')
    .columns(['ticket_id', 'id'])
    .execute();

  await db.schema
    .createTable('ticket_attachments')
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('data_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_attachments_pk', ['ticket_id', 'n'])
    .execute();

  await db.schema
    .createTable('holder_notifications')
    .addColumn(...serial('id'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addColumn('channel', 'text')
    .execute();
  await db.schema
    .createIndex('holder_notifications_pending')
    .on('holder_notifications')
    .columns(['delivered_at', 'id'])
    .execute();
}
