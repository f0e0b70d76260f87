/** A provincial node's outbox of status deltas (`status_outbox`), and the residents whose status to recompute. */
import { sql } from 'kysely';
import type { Colour } from '../codec/token.ts';
import type { Db } from '../db/database.ts';
import type { StatusOutboxTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';

export type OutboxRow = Selectable<StatusOutboxTable>;

export interface QueuedDelta {
  readonly personId: string;
  readonly colour: Colour;
  readonly reasonCode: string;
  readonly reasonText: string;
  readonly reasonTextEn: string;
  readonly changedAt: number;
}

export class StatusOutboxRepository {
  /**
   * Declared residents with no fresh snapshot (new evidence dropped it, or a non-green one ran out), at most
   * `limit`.
   */
  async stale(db: Db, nowMs: number, limit: number): Promise<string[]> {
    const rows = await db
      .selectFrom('persons as p')
      .select('p.person_id')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('declarations as d')
            .select(sql`1`.as('one'))
            .whereRef('d.person_id', '=', 'p.person_id'),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('status_snapshots as s')
              .select(sql`1`.as('one'))
              .whereRef('s.person_id', '=', 'p.person_id')
              .where((w) => w.or([w('s.expires_at', '>', nowMs), w('s.colour', '=', 'green')])),
          ),
        ),
      )
      .limit(limit)
      .execute();
    return rows.map((r) => r.person_id);
  }

  /** The last delta queued for a resident: colour and first reason. */
  async last(db: Db, personId: string): Promise<{ colour: Colour; reasonCode: string } | undefined> {
    const row = await db
      .selectFrom('status_outbox')
      .select(['colour', 'reason_code'])
      .where('person_id', '=', personId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && { colour: row.colour, reasonCode: row.reason_code };
  }

  async queue(db: Db, d: QueuedDelta): Promise<void> {
    await db
      .insertInto('status_outbox')
      .values({
        person_id: d.personId,
        colour: d.colour,
        reason_code: d.reasonCode,
        reason_text: d.reasonText,
        reason_text_en: d.reasonTextEn,
        changed_at: d.changedAt,
        sent_at: null,
      })
      .execute();
  }

  /** The oldest unsent deltas, at most `limit`. */
  unsent(db: Db, limit: number): Promise<OutboxRow[]> {
    return db
      .selectFrom('status_outbox')
      .selectAll()
      .where('sent_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async markSent(db: Db, ids: readonly number[], nowMs: number): Promise<void> {
    await db
      .updateTable('status_outbox')
      .set({ sent_at: nowMs })
      .where('id', 'in', [...ids])
      .execute();
  }

  async pending(db: Db): Promise<number> {
    const row = await db
      .selectFrom('status_outbox')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('sent_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
