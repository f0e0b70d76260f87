/**
 * The `status` table: findings about a person that operators record (src/status/status-entries.service.ts), each
 * with its provenance — who created it, when and why, who ended it, when and why (migration 0009). An entry is
 * never changed but for its end.
 */
import { randomUUID } from 'node:crypto';
import { compiledOnce } from '../db/compiled-once.ts';
import type { Db } from '../db/database.ts';
import type { StatusEntryRow } from '../db/schema.ts';
import type { CaseStatus } from '../risk/evidence.ts';
import type { StatusEntry } from './status.domain.ts';

export interface NewStatusEntry extends Omit<StatusEntry, 'entryId'> {
  /** Where it came from (`operator`), and a reference there if any. */
  readonly source: string;
  readonly sourceRef?: string | null;
  /** The case status the entry's kind means (none: null). The service always says, and who created it and why. */
  readonly caseStatus?: CaseStatus | null;
  readonly createdBy?: string;
  readonly reason?: string;
}

/** An entry as stored, with its provenance and its end. */
export interface StoredStatusEntry extends StatusEntry {
  readonly personId: string;
  readonly caseStatus: CaseStatus | null;
  readonly source: string;
  readonly sourceRef: string | null;
  readonly createdAt: number;
  /** Null for entries recorded before migration 0009. */
  readonly createdBy: string | null;
  readonly reason: string | null;
  readonly ended: { readonly at: number; readonly by: string; readonly reason: string } | null;
}

const stored = (r: StatusEntryRow): StoredStatusEntry => ({
  entryId: r.entry_id,
  personId: r.person_id,
  colour: r.colour,
  reasonCode: r.reason_code,
  reasonText: r.reason_text,
  reasonTextEn: r.reason_text_en,
  caseStatus: r.case_status as CaseStatus | null,
  source: r.source,
  sourceRef: r.source_ref,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  createdAt: r.created_at,
  createdBy: r.created_by,
  reason: r.reason,
  ended: r.ended_at === null ? null : { at: r.ended_at, by: r.ended_by ?? '', reason: r.end_reason ?? '' },
});

/** Read for every status computed: compiled once (src/db/compiled-once.ts). */
const readActive = compiledOnce(
  (db: Db, personId: string, nowMs: number) =>
    db
      .selectFrom('status_entries')
      .selectAll()
      .where('person_id', '=', personId)
      .where('valid_from', '<=', nowMs)
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', nowMs)]))
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', nowMs)])),
  2,
);

export class StatusEntriesRepository {
  async add(db: Db, personId: string, e: NewStatusEntry, nowMs: number): Promise<string> {
    const entryId = randomUUID();
    await db
      .insertInto('status_entries')
      .values({
        entry_id: entryId,
        person_id: personId,
        colour: e.colour,
        reason_code: e.reasonCode,
        reason_text: e.reasonText,
        reason_text_en: e.reasonTextEn,
        case_status: e.caseStatus ?? null,
        source: e.source,
        source_ref: e.sourceRef ?? null,
        valid_from: e.validFrom,
        valid_until: e.validUntil,
        created_at: nowMs,
        created_by: e.createdBy ?? null,
        reason: e.reason ?? null,
      })
      .execute();
    return entryId;
  }

  async get(db: Db, entryId: string): Promise<StoredStatusEntry | undefined> {
    const r = await db
      .selectFrom('status_entries')
      .selectAll()
      .where('entry_id', '=', entryId)
      .executeTakeFirst();
    return r && stored(r);
  }

  /** These entries (the ones the reasons of a status name), ended or not. */
  async byIds(db: Db, entryIds: readonly string[]): Promise<StoredStatusEntry[]> {
    if (entryIds.length === 0) return [];
    const rows = await db
      .selectFrom('status_entries')
      .selectAll()
      .where('entry_id', 'in', [...entryIds])
      .execute();
    return rows.map(stored);
  }

  /** Newest first; with `activeAt`, only the entries in force then. */
  async list(db: Db, options: { activeAt?: number; limit: number }): Promise<StoredStatusEntry[]> {
    let q = db.selectFrom('status_entries').selectAll();
    const at = options.activeAt;
    if (at !== undefined)
      q = q
        .where('valid_from', '<=', at)
        .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', at)]))
        .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', at)]));
    const rows = await q.orderBy('created_at', 'desc').orderBy('entry_id').limit(options.limit).execute();
    return rows.map(stored);
  }

  /** Records an entry's end, unless it has one already; whether it did. */
  async end(db: Db, entryId: string, end: { by: string; reason: string }, nowMs: number): Promise<boolean> {
    const r = await db
      .updateTable('status_entries')
      .set({ ended_at: nowMs, ended_by: end.by, end_reason: end.reason })
      .where('entry_id', '=', entryId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Entries in force at `nowMs`: started, not past their end, not ended by an operator. */
  async active(db: Db, personId: string, nowMs: number): Promise<StatusEntry[]> {
    const rows = await readActive(db, personId, nowMs);
    return rows.map((r) => ({
      entryId: r.entry_id,
      colour: r.colour,
      reasonCode: r.reason_code,
      reasonText: r.reason_text,
      reasonTextEn: r.reason_text_en,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
    }));
  }
}
