/**
 * The audit log's rows (docs/security.md#audit-log). `append` chains an entry after the head under the head's
 * row lock (PostgreSQL `FOR UPDATE`; SQLite serialises write transactions already), in the caller's transaction
 * when given one: the entry and the act commit together or not at all. Like every repository, each method takes
 * the database (or a transaction) first.
 */
import { PostgresAdapter } from 'kysely';
import { inTransaction, type Db } from '../db/database.ts';
import { entryHash, type AuditFacts, type StoredAuditEntry } from './audit-chain.ts';

export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
  readonly baseSeq: number;
  readonly baseHash: string;
}

/** The entry `facts` make chained after the head `head`. */
export function chainedAfter(head: { seq: number; hash: string }, facts: AuditFacts): StoredAuditEntry {
  const entry = { ...facts, seq: head.seq + 1 };
  return { ...entry, prevHash: head.hash, hash: entryHash(head.hash, entry) };
}

/** An entry as its `audit_log` row: the one mapping the Kysely append and the plain-SQL one share. */
function auditRow(e: StoredAuditEntry) {
  return {
    seq: e.seq,
    at: e.at,
    actor_kind: e.actorKind,
    actor_ref: e.actorRef,
    action: e.action,
    subject: e.subject,
    detail: e.detail,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

/** The row's columns, in the order of the plain-SQL insert. */
const AUDIT_COLUMNS = [
  'seq',
  'at',
  'actor_kind',
  'actor_ref',
  'action',
  'subject',
  'detail',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof ReturnType<typeof auditRow>)[];

/**
 * The same append in plain SQL, for acts whose transaction a driver holds rather than Kysely (a feed batch publishes
 * through better-sqlite3 or pg itself: src/feeds/*-batch-writer.ts). In that transaction: read the head with `head`,
 * then run `insert` with `insertValues(entry)` and `moveHead` with `[entry.seq, entry.hash]`, entry being
 * `chainedAfter(head, facts)`. Placeholders are each engine's own (`?`, `$1`).
 */
export function auditSql(engine: 'sqlite' | 'postgres'): { head: string; insert: string; moveHead: string } {
  const p = (i: number) => (engine === 'sqlite' ? '?' : `$${String(i)}`);
  return {
    head: `SELECT seq, hash FROM audit_head WHERE id = 1${engine === 'postgres' ? ' FOR UPDATE' : ''}`,
    insert: `INSERT INTO audit_log (${AUDIT_COLUMNS.join(', ')}) VALUES (${AUDIT_COLUMNS.map((_, i) => p(i + 1)).join(', ')})`,
    moveHead: `UPDATE audit_head SET seq = ${p(1)}, hash = ${p(2)} WHERE id = 1`,
  };
}

/** The values of `auditSql(…).insert`, in its order. */
export function insertValues(e: StoredAuditEntry): (string | number | null)[] {
  const row = auditRow(e);
  return AUDIT_COLUMNS.map((c) => row[c]);
}

export class AuditLogRepository {
  /** Chains `facts` after the head; answers the entry as written. */
  async append(db: Db, facts: AuditFacts): Promise<StoredAuditEntry> {
    const [entry] = await this.appendAll(db, [facts]);
    if (!entry) throw new Error('no audit entry was written');
    return entry;
  }

  /** Chains each of `facts` after the head, in order, under one lock: one read of the head and one update. */
  appendAll(db: Db, facts: readonly AuditFacts[]): Promise<StoredAuditEntry[]> {
    return inTransaction(db, async (trx) => {
      let q = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
      if (trx.getExecutor().adapter instanceof PostgresAdapter) q = q.forUpdate();
      let head: { seq: number; hash: string } = await q.executeTakeFirstOrThrow();
      const entries = facts.map((f) => (head = chainedAfter(head, f)));
      if (entries.length === 0) return entries;
      await trx.insertInto('audit_log').values(entries.map(auditRow)).execute();
      await trx
        .updateTable('audit_head')
        .set({ seq: head.seq, hash: head.hash })
        .where('id', '=', 1)
        .execute();
      return entries;
    });
  }

  async head(db: Db): Promise<ChainHead> {
    const h = await db
      .selectFrom('audit_head')
      .select(['seq', 'hash', 'base_seq', 'base_hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { seq: h.seq, hash: h.hash, baseSeq: h.base_seq, baseHash: h.base_hash };
  }

  /** Up to `limit` entries after `afterSeq`, in order. */
  async page(db: Db, afterSeq: number, limit: number): Promise<StoredAuditEntry[]> {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actorKind: r.actor_kind,
      actorRef: r.actor_ref,
      action: r.action,
      subject: r.subject,
      detail: r.detail,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
  }

  /** One entry, or undefined. */
  async entry(db: Db, seq: number): Promise<StoredAuditEntry | undefined> {
    return (await this.page(db, seq - 1, 1)).find((e) => e.seq === seq);
  }

  /**
   * Retention: removes the entries older than `before` (ms), at most `limit` of them, oldest first, and moves the
   * base to the last one removed, so a check starts after it. Answers how many were removed.
   */
  purgeBefore(db: Db, before: number, limit: number): Promise<number> {
    return inTransaction(db, async (trx) => {
      let q = trx.selectFrom('audit_head').select(['seq', 'base_seq']).where('id', '=', 1);
      if (trx.getExecutor().adapter instanceof PostgresAdapter) q = q.forUpdate();
      const head = await q.executeTakeFirstOrThrow();
      const last = await trx
        .selectFrom('audit_log')
        .select(['seq', 'hash'])
        .where('seq', '>', head.base_seq)
        .where('seq', '<=', head.base_seq + limit)
        .where('at', '<', before)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!last) return 0;
      // Entries are written in time order under the lock, so those older than `before` are a prefix.
      const gone = await trx.deleteFrom('audit_log').where('seq', '<=', last.seq).executeTakeFirst();
      await trx
        .updateTable('audit_head')
        .set({ base_seq: last.seq, base_hash: last.hash })
        .where('id', '=', 1)
        .execute();
      return Number(gone.numDeletedRows);
    });
  }
}
