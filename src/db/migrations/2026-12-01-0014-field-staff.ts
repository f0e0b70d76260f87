/**
 * Frozen. Registrars and paper codes (issue 16, Q9, docs/registrars.md).
 *
 * `registrars`: community or institution staff who record declarations for people without a phone, each with
 * their own credential (`ymtr_…`, only its SHA-256 kept) and the region (GB/T 2260) they serve; a disabled
 * registrar signs in no more.
 *
 * `registrations`: one row per declaration a registrar recorded: whose (`person_id`: a real-name person, or one
 * the registrar recorded without a document), the contact person (name and phone, encrypted), the paper code
 * issued (`code_cti`, in `codes`) and when.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('registrars')
    .addColumn('registrar_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('disabled_at', 'bigint')
    .execute();

  await db.schema
    .createTable('registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registrar_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('contact_enc', 'text', (c) => c.notNull())
    .addColumn('code_cti', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('registrations_registrar')
    .on('registrations')
    .columns(['registrar_id', 'created_at'])
    .execute();
}
