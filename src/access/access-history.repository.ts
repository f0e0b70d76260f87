/**
 * The access history (docs/family.md#access-history): one row per look-up of a person's data by someone else,
 * written in the same transaction as the act where the act writes, before the answer where it only reads — and
 * chained into the audit log in that same transaction (docs/security.md#audit-log). Like every repository, each
 * method takes the database (or a transaction) first.
 *
 * Entries of acts that only read (given the database, not a transaction) are written by group commit: while one
 * transaction writes, the entries that arrive wait, and the next transaction writes them all — their rows and their
 * chained entries, under one hold of the chain's lock. Each caller still waits for its own entry's commit before it
 * answers; an idle hub writes each entry at once. Serialised on the chain's lock, one entry a transaction ran at a
 * quarter to a third of the unchained rate (docs/capacity.md#audit-log).
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

/** The most entries one group commit writes. */
const GROUP_MAX = 500;

/** Entries waiting for a database's next group commit. */
class GroupCommit {
  private waiting: {
    readonly event: AccessEvent;
    readonly resolve: () => void;
    readonly reject: (error: Error) => void;
  }[] = [];
  private writing = false;

  constructor(
    private readonly db: Db,
    private readonly write: (trx: Db, events: readonly AccessEvent[]) => Promise<void>,
  ) {}

  add(event: AccessEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, GROUP_MAX);
      try {
        await inTransaction(this.db, (trx) =>
          this.write(
            trx,
            group.map((g) => g.event),
          ),
        );
        for (const g of group) g.resolve();
      } catch (e) {
        // The group's transaction wrote nothing: each of its callers fails. The hub makes these entries itself, so a
        // group fails only when the database does, and then each would have failed alone too.
        const error = e instanceof Error ? e : new Error(String(e));
        for (const g of group) g.reject(error);
      }
    }
    this.writing = false;
  }
}

export class AccessHistoryRepository {
  private readonly groups = new WeakMap<Db, GroupCommit>();

  constructor(private readonly audit: AuditLogRepository) {}

  /** Writes `e` in `db`'s transaction when it is one; otherwise in the database's next group commit. */
  record(db: Db, e: AccessEvent): Promise<void> {
    if (db.isTransaction) return this.write(db, [e]);
    let group = this.groups.get(db);
    if (!group) {
      group = new GroupCommit(db, (trx, events) => this.write(trx, events));
      this.groups.set(db, group);
    }
    return group.add(e);
  }

  private async write(trx: Db, events: readonly AccessEvent[]): Promise<void> {
    await trx
      .insertInto('access_events')
      .values(
        events.map((e) => ({
          person_id: e.personId,
          at: e.at,
          actor_kind: e.actorKind,
          actor_ref: e.actorRef,
          purpose: e.purpose,
        })),
      )
      .execute();
    await this.audit.appendAll(
      trx,
      events.map((e) => ({
        at: e.at,
        actorKind: e.actorKind,
        actorRef: e.actorRef,
        action: `access.${e.purpose}`,
        subject: e.personId,
        detail: null,
      })),
    );
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
