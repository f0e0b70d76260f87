/**
 * Look-ups by document at checkpoints (docs/checkpoint-lookups.md), and the manual check each ends in. Like every
 * repository, each method takes the database (or a transaction) first.
 */
import type { Db } from '../db/database.ts';

export type ManualDecision = 'pass' | 'refuse';

export interface Lookup {
  readonly id: string;
  readonly staffId: string;
  readonly personId: string;
  readonly region: string;
  readonly at: number;
  readonly decision: ManualDecision | null;
  readonly decidedAt: number | null;
}

export class LookupsRepository {
  async insert(db: Db, l: Omit<Lookup, 'decision' | 'decidedAt'>): Promise<void> {
    await db
      .insertInto('checkpoint_lookups')
      .values({
        id: l.id,
        staff_id: l.staffId,
        person_id: l.personId,
        region: l.region,
        at: l.at,
        decision: null,
        decided_at: null,
      })
      .execute();
  }

  /** A look-up, only for the member of staff who made it. */
  async get(db: Db, staffId: string, id: string): Promise<Lookup | undefined> {
    const r = await db
      .selectFrom('checkpoint_lookups')
      .selectAll()
      .where('id', '=', id)
      .where('staff_id', '=', staffId)
      .executeTakeFirst();
    return (
      r && {
        id: r.id,
        staffId: r.staff_id,
        personId: r.person_id,
        region: r.region,
        at: r.at,
        decision: r.decision,
        decidedAt: r.decided_at,
      }
    );
  }

  /** Records the decision once; false when it was already recorded. */
  async decide(db: Db, id: string, decision: ManualDecision, nowMs: number): Promise<boolean> {
    const r = await db
      .updateTable('checkpoint_lookups')
      .set({ decision, decided_at: nowMs })
      .where('id', '=', id)
      .where('decision', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
