/** Issued codes (the token carries only a masked name, so it is stored as issued). */
import type { Db } from '../db/database.ts';
import type { CodeRow } from '../db/schema.ts';

export class CodesRepository {
  async latest(db: Db, personId: string): Promise<CodeRow | undefined> {
    return db
      .selectFrom('codes')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('issued_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Who a code (by its hex id) was issued to. */
  async holderOf(db: Db, cti: string): Promise<string | undefined> {
    const row = await db.selectFrom('codes').select('person_id').where('cti', '=', cti).executeTakeFirst();
    return row?.person_id;
  }

  async insert(db: Db, row: CodeRow): Promise<void> {
    await db.insertInto('codes').values(row).execute();
  }
}
