/** The provincial codes holders linked at the hub (`linked_codes`): one row per holder and province. */
import type { Db } from '../db/database.ts';

export class LinkedCodesRepository {
  async link(db: Db, personId: string, province: string, nowMs: number): Promise<void> {
    await db
      .insertInto('linked_codes')
      .values({ person_id: personId, province, linked_at: nowMs })
      .onConflict((oc) => oc.columns(['person_id', 'province']).doNothing())
      .execute();
  }

  async linked(db: Db, personId: string): Promise<{ province: string; linkedAt: number }[]> {
    const rows = await db
      .selectFrom('linked_codes')
      .select(['province', 'linked_at'])
      .where('person_id', '=', personId)
      .orderBy('province')
      .execute();
    return rows.map((r) => ({ province: r.province, linkedAt: r.linked_at }));
  }

  async unlink(db: Db, personId: string, province: string): Promise<boolean> {
    const r = await db
      .deleteFrom('linked_codes')
      .where('person_id', '=', personId)
      .where('province', '=', province)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
