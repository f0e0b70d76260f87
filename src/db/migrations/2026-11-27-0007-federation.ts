/**
 * Frozen. Mutual recognition (issue 4): the provinces enrolled at the hub and the keys they certified, the rule
 * sets they published, their residents' pushed status, holders' linked codes, consents and tickets; and, on a
 * provincial node, the outbox of status changes it pushes to the hub. Hub and nodes share one schema: each
 * leaves the other's tables empty.
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

  // A province's two public keys: the root certifies its code-signing keys, the access key signs its requests.
  await db.schema
    .createTable('provinces_enrolled')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('root_jwk', 'text', (c) => c.notNull())
    .addColumn('root_kid', 'text', (c) => c.notNull())
    .addColumn('access_jwk', 'text', (c) => c.notNull())
    .addColumn('node_url', 'text')
    .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('issuer_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('iss', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('not_before', 'bigint', (c) => c.notNull())
    .addColumn('not_after', 'bigint', (c) => c.notNull())
    .addColumn('certificate', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoke_reason', 'text')
    .execute();
  await db.schema.createIndex('issuer_keys_iss').on('issuer_keys').columns(['iss']).execute();

  // One row: bumped by every change the trust list shows (keys, revocations, rules, enrolments).
  await db.schema
    .createTable('federation_revision')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('revision', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('federation_revision').values({ id: 1, revision: 0 }).execute();

  await db.schema
    .createTable('published_rule_sets')
    .addColumn('rule_set_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('published_rule_sets_pk', ['rule_set_id', 'version'])
    .execute();

  // The last status a province pushed for one of its residents (document hash with the hub's index key).
  await db.schema
    .createTable('province_status')
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('doc_hash', 'text', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('reason_text', 'text', (c) => c.notNull())
    .addColumn('reason_text_en', 'text', (c) => c.notNull())
    .addColumn('delta_id', 'bigint', (c) => c.notNull())
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('province_status_pk', ['province', 'doc_hash'])
    .execute();
  await db.schema.createIndex('province_status_doc').on('province_status').columns(['doc_hash']).execute();

  // Who signed in through a province's node: the residents whose status that province may push.
  await db.schema
    .createTable('province_holders')
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('doc_hash', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('province_holders_pk', ['province', 'doc_hash'])
    .execute();

  await db.schema
    .createTable('linked_codes')
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('linked_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('linked_codes_pk', ['person_id', 'province'])
    .execute();

  await db.schema
    .createTable('consents')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  // The shared ticket workflow (non-recognition reports first; corrections add their kinds).
  await db.schema
    .createTable('tickets')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('details_enc', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tickets_person').on('tickets').columns(['person_id']).execute();
  await db.schema.createIndex('tickets_province').on('tickets').columns(['province', 'status']).execute();

  // Provincial node: its residents' status changes, pushed to the hub in order and marked when accepted.
  await db.schema
    .createTable('status_outbox')
    .addColumn(...serial('id'))
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('reason_text', 'text', (c) => c.notNull())
    .addColumn('reason_text_en', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('status_outbox_person')
    .on('status_outbox')
    .columns(['person_id', 'id'])
    .execute();
  await db.schema
    .createIndex('status_outbox_unsent')
    .on('status_outbox')
    .columns(['sent_at', 'id'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const t of [
    'status_outbox',
    'tickets',
    'consents',
    'linked_codes',
    'province_holders',
    'province_status',
    'published_rule_sets',
    'federation_revision',
    'issuer_keys',
    'provinces_enrolled',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
