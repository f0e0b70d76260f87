/**
 * The access history (docs/family.md#access-history): one row per look-up of a person's data by someone else,
 * written in the same transaction as the act where the act writes, before the answer where it only reads — and
 * chained into the audit log in that same transaction (docs/security.md#audit-log). Like every repository, each
 * method takes the database (or a transaction) first.
 */
import type { AuditLogRepository } from '../audit/audit-log.repository.ts';
import { inTransaction, type Db } from '../db/database.ts';
import type { ActorKind, Purpose } from './purposes.ts';

export interface AccessEvent {
  readonly personId: string;
  readonly at: number;
  readonly actorKind: ActorKind;
  /** For a proxy: the guardian's person id. */
  readonly actorRef: string;
  readonly purpose: Purpose;
}

export class AccessHistoryRepository {
  constructor(private readonly audit: AuditLogRepository) {}

  record(db: Db, e: AccessEvent): Promise<void> {
    return inTransaction(db, async (trx) => {
      await trx
        .insertInto('access_events')
        .values({
          person_id: e.personId,
          at: e.at,
          actor_kind: e.actorKind,
          actor_ref: e.actorRef,
          purpose: e.purpose,
        })
        .execute();
      await this.audit.append(trx, {
        at: e.at,
        actorKind: e.actorKind,
        actorRef: e.actorRef,
        action: `access.${e.purpose}`,
        subject: e.personId,
        detail: null,
      });
    });
  }

  /**
   * The person's entries, newest first (in the order they were written), at most `limit`; `before`: the `seq` of
   * the last entry of the page before.
   */
  async of(
    db: Db,
    personId: string,
    limit: number,
    before?: number,
  ): Promise<(AccessEvent & { seq: number })[]> {
    let q = db
      .selectFrom('access_events')
      .select(['id', 'at', 'actor_kind', 'actor_ref', 'purpose'])
      .where('person_id', '=', personId);
    if (before !== undefined) q = q.where('id', '<', before);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      seq: r.id,
      personId,
      at: r.at,
      actorKind: r.actor_kind as ActorKind,
      actorRef: r.actor_ref,
      purpose: r.purpose as Purpose,
    }));
  }
}
