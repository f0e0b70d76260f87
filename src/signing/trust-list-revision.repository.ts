/**
 * The federation's revision (`federation_revision`): a counter that everything the hub's trust list carries
 * from the federation bumps — an enrolment, a province's key, a revocation, a published acceptance rule set —
 * in the same transaction as the change. Hub processes compare it to rebuild their list (trust-list.service.ts).
 *
 * Every online verification asks for the revision, so it is kept for up to REVISION_MAX_LAG_MS rather than read
 * per request (issue 15). A change made through this process is seen at once: its bump forgets the kept value and
 * nothing is kept for REVISION_MAX_LAG_MS after it, so a read made before the bump's transaction commits is not
 * kept. One made through another process sharing the database is seen within REVISION_MAX_LAG_MS
 * (docs/federation.md).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** How long a read revision is used before it is read again. */
export const REVISION_MAX_LAG_MS = 1000;

export class TrustListRevisionRepository {
  private kept: { readonly revision: number; readonly at: number } | undefined;
  /** Until when nothing read is kept: the lag after a bump made here (its transaction may not have committed). */
  private keepFrom = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly maxLagMs = REVISION_MAX_LAG_MS,
    /** Monotonic milliseconds. */
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  async get(db: Db): Promise<number> {
    const kept = this.kept;
    if (kept !== undefined && this.nowMs() - kept.at < this.maxLagMs) return kept.revision;
    const at = this.nowMs();
    const row = await db
      .selectFrom('federation_revision')
      .select('revision')
      .where('id', '=', 1)
      .executeTakeFirst();
    const revision = row?.revision ?? 0;
    this.kept = at >= this.keepFrom ? { revision, at } : undefined;
    return revision;
  }

  async bump(db: Db): Promise<void> {
    this.kept = undefined;
    this.keepFrom = this.nowMs() + this.maxLagMs;
    await db
      .updateTable('federation_revision')
      .set({ revision: sql<number>`revision + 1` })
      .where('id', '=', 1)
      .execute();
  }
}
