/**
 * Frozen. Status entries become managed data (src/status/status-entries.service.ts): each keeps the case status its
 * kind means (`case_status`), who created it and why (`created_by`, `reason`), and its end — when, by whom and why
 * (`ended_at`, `ended_by`, `end_reason`); an entry is never changed otherwise. Entries recorded before keep no
 * creator; those of the four case kinds get the case status their code means. The snapshots of holders with an
 * entry are dropped: their reasons now name the entry itself (`status`, the entry's id) as evidence.
 */
import type { Kysely } from 'kysely';

/** The case kinds as they were when this migration was written. */
const CASE_OF_CODE: Readonly<Record<string, string>> = {
  CASE_CONFIRMED: 'confirmed',
  CASE_SUSPECTED: 'suspected',
  CASE_ASYMPTOMATIC: 'asymptomatic',
  CLOSE_CONTACT_OBSERVED: 'close_contact',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One column per statement: SQLite adds one at a time.
  for (const [name, type] of [
    ['case_status', 'text'],
    ['created_by', 'text'],
    ['reason', 'text'],
    ['ended_at', 'bigint'],
    ['ended_by', 'text'],
    ['end_reason', 'text'],
  ] as const) {
    await db.schema.alterTable('status_entries').addColumn(name, type).execute();
  }
  for (const [code, caseStatus] of Object.entries(CASE_OF_CODE)) {
    await db
      .updateTable('status_entries')
      .set({ case_status: caseStatus })
      .where('reason_code', '=', code)
      .execute();
  }
  await db.schema.createIndex('status_entries_created').on('status_entries').column('created_at').execute();
  await db
    .deleteFrom('status_snapshots')
    .where('person_id', 'in', db.selectFrom('status_entries').select('person_id'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('status_entries_created').execute();
  for (const name of ['end_reason', 'ended_by', 'ended_at', 'reason', 'created_by', 'case_status']) {
    await db.schema.alterTable('status_entries').dropColumn(name).execute();
  }
}
