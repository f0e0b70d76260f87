/**
 * The federation's revision (`federation_revision`): a counter that everything the hub's trust list carries
 * from the federation bumps — an enrolment, a province's key, a revocation, a published acceptance rule set —
 * in the same transaction as the change. Hub processes compare it to rebuild their list (trust-list.service.ts).
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export class TrustListRevisionRepository {
  async get(db: Db): Promise<number> {
    const row = await db
      .selectFrom('federation_revision')
      .select('revision')
      .where('id', '=', 1)
      .executeTakeFirst();
    return row?.revision ?? 0;
  }

  async bump(db: Db): Promise<void> {
    await db
      .updateTable('federation_revision')
      .set({ revision: sql<number>`revision + 1` })
      .where('id', '=', 1)
      .execute();
  }
}
