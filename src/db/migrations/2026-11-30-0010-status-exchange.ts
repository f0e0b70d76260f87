/**
 * Frozen. One status exchange, both ways (issue 12, docs/federation.md#status-exchange): the hub and each node keep
 * `status_dirty` (holders whose evidence changed since their status was last exchanged, marked where the snapshot
 * is dropped), `exchange_state` (what each peer was last sent about each holder), `exchange_outbox` (the changes
 * queued per peer, ids increasing) and `exchange_cursors` (the last id each peer acknowledged); a node keeps the
 * national status the hub sent it (`national_status`). `status_outbox` (node → hub, issue 4) is folded into
 * `exchange_outbox`: unsent rows move over with peer `hub`.
 *
 * A province now speaks only for holders who confirmed a sign-in at its node with a code the hub sent them
 * (`sign_in_challenges`); the holders recorded before by the province's call alone, and what was applied for them,
 * are dropped (`province_holders`, `province_status`): nodes send them again after the holder confirms.
 */
import { PostgresAdapter, type ColumnDefinitionBuilderCallback, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serial = (name: string): [string, 'bigint' | 'integer', ColumnDefinitionBuilderCallback] =>
    pg
      ? [name, 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()]
      : [name, 'integer', (c) => c.primaryKey()];

  await db.schema
    .createTable('status_dirty')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    // A fresh value at every mark: a sweep clears the mark it read, not one set while it worked.
    .addColumn('mark', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('exchange_state')
    .addColumn('peer', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'bigint', (c) => c.notNull())
    .addColumn('reviewed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('exchange_state_pk', ['peer', 'person_id'])
    .execute();
  await db.schema
    .createIndex('exchange_state_review')
    .on('exchange_state')
    .columns(['colour', 'reviewed_at'])
    .execute();

  await db.schema
    .createTable('exchange_outbox')
    .addColumn(...serial('id'))
    .addColumn('peer', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('case_status', 'text')
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exchange_outbox_peer').on('exchange_outbox').columns(['peer', 'id']).execute();

  await db.schema
    .createTable('exchange_cursors')
    .addColumn('peer', 'text', (c) => c.primaryKey())
    .addColumn('acked_id', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('national_status')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('delta_id', 'bigint', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('case_status', 'text')
    .addColumn('as_of', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();

  // What a snapshot knew of the other side: on a node, whether the hub's national status was held and how old.
  await db.schema
    .alterTable('status_snapshots')
    .addColumn('external_known', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('status_snapshots').addColumn('external_as_of', 'bigint').execute();

  await db.schema
    .createTable('sign_in_challenges')
    .addColumn('challenge_id', 'text', (c) => c.primaryKey())
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('doc_hash', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('sign_in_challenges_holder')
    .on('sign_in_challenges')
    .columns(['doc_hash', 'created_at'])
    .execute();

  // The node's unsent pushes move to the exchange, in order, each with its one reason.
  const unsent = (await db
    .selectFrom('status_outbox')
    .selectAll()
    .where('sent_at', 'is', null)
    .orderBy('id')
    .execute()) as {
    person_id: string;
    colour: string;
    reason_code: string;
    reason_text: string;
    reason_text_en: string;
    changed_at: number;
  }[];
  for (const r of unsent) {
    const reason = { code: r.reason_code, colour: r.colour, text: r.reason_text, textEn: r.reason_text_en };
    await db
      .insertInto('exchange_outbox')
      .values({
        peer: 'hub',
        person_id: r.person_id,
        colour: r.colour,
        reasons: JSON.stringify([reason]),
        changed_at: r.changed_at,
      })
      .execute();
  }
  await db.schema.dropTable('status_outbox').execute();
  await db.deleteFrom('province_status').execute();
  await db.deleteFrom('province_holders').execute();
}

export async function down(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('status_outbox')
    .addColumn('id', pg ? 'bigint' : 'integer', (c) =>
      pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey(),
    )
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('reason_text', 'text', (c) => c.notNull())
    .addColumn('reason_text_en', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema.alterTable('status_snapshots').dropColumn('external_as_of').execute();
  await db.schema.alterTable('status_snapshots').dropColumn('external_known').execute();
  for (const t of [
    'sign_in_challenges',
    'national_status',
    'exchange_cursors',
    'exchange_outbox',
    'exchange_state',
    'status_dirty',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
