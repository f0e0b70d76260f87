/**
 * Frozen: never edit a migration that has shipped; add a new one. Typed Kysely<any> on purpose, so later
 * changes to the schema types cannot change what this migration does.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('persons')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addColumn('document_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name_hash', 'text', (c) => c.notNull())
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('document_number_enc', 'text', (c) => c.notNull())
    .addColumn('phone_enc', 'text')
    .addColumn('nationality', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('declarations')
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.person_id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('modified_on', 'text')
    .addColumn('body_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('declarations_pk', ['person_id', 'version'])
    .execute();
  await db.schema
    .createIndex('declarations_one_change_a_day')
    .on('declarations')
    .columns(['person_id', 'modified_on'])
    .unique()
    .execute();

  await db.schema
    .createTable('status_entries')
    .addColumn('entry_id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.person_id'))
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('reason_text', 'text', (c) => c.notNull())
    .addColumn('reason_text_en', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('valid_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_entries_person').on('status_entries').column('person_id').execute();

  await db.schema
    .createTable('codes')
    .addColumn('cti', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.person_id'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('codes_person_issued')
    .on('codes')
    .columns(['person_id', 'issued_at'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.person_id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['sessions', 'codes', 'status_entries', 'declarations', 'persons']) {
    await db.schema.dropTable(table).execute();
  }
}
