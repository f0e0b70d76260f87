/**
 * Frozen. Field staff, registrations and paper codes, checkpoint look-ups (issue 16, Q9; docs/registrars.md,
 * docs/checkpoint-lookups.md).
 *
 * `field_staff`: people who act for others in person, each with their own credential (only its SHA-256 kept) and
 * the region (GB/T 2260) they serve: `registrar` (community or institution staff who record declarations for
 * people without a phone, `ymtr_…`) or `checkpoint` (checkpoint staff who look a person up by document, `ymtc_…`).
 * A disabled member of staff signs in no more.
 *
 * `registrations`: one row per declaration a registrar recorded: whose (`person_id`: a real-name person, or one the
 * registrar recorded without a document), the contact person (name and phone, encrypted), the paper code issued
 * (`code_cti`, in `codes`) and when.
 *
 * `checkpoint_lookups`: one row per look-up by document at a checkpoint: who looked, whom, where, when, and the
 * manual check's decision (`pass` or `refuse`) once recorded.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('field_staff')
    .addColumn('staff_id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
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

  await db.schema
    .createTable('checkpoint_lookups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('decision', 'text')
    .addColumn('decided_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('checkpoint_lookups_staff')
    .on('checkpoint_lookups')
    .columns(['staff_id', 'at'])
    .execute();
}
