/** The `status` table: findings about a person that feeds (health commission, exposure engine…) record. */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { StatusEntry } from './status.domain.ts';

export interface NewStatusEntry extends StatusEntry {
  readonly sourceRef?: string;
}

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
        source: e.source,
        source_ref: e.sourceRef ?? null,
        valid_from: e.validFrom,
        valid_until: e.validUntil,
        created_at: nowMs,
      })
      .execute();
    return entryId;
  }

  /** Entries in force at `nowMs`. */
  async active(db: Db, personId: string, nowMs: number): Promise<StatusEntry[]> {
    const rows = await db
      .selectFrom('status_entries')
      .selectAll()
      .where('person_id', '=', personId)
      .where('valid_from', '<=', nowMs)
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', nowMs)]))
      .execute();
    return rows.map((r) => ({
      colour: r.colour,
      reasonCode: r.reason_code,
      reasonText: r.reason_text,
      reasonTextEn: r.reason_text_en,
      source: r.source,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
    }));
  }
}
