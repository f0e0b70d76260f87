/**
 * The purge (docs/operations.md#retention): removes what is past its window, kind by kind, in short transactions
 * (src/retention/retention.repository.ts), and reports what it removed. `yimatong serve` runs it every
 * RETENTION_INTERVAL_MINUTES in one process (the lead worker; across hub instances on PostgreSQL, whichever holds
 * the advisory lock); `yimatong purge [--dry-run]` runs it once.
 *
 * The audit log goes by its own window, oldest first, the chain's base moved past what goes (src/audit). Not purged:
 * the current state of a holder (person, current declaration, snapshot, links, registrations): see the table in
 * docs/operations.md. A purge that removed anything is chained in the audit log after its last transaction, with
 * what it removed per kind (the purge is many short transactions by design, so its entry is a summary: a purge
 * cut short leaves rows gone without one, and the next purge's entry follows).
 */
import { sql } from 'kysely';
import { AuditLogRepository } from '../audit/audit-log.repository.ts';
import { inTransaction, type Db, type Engine } from '../db/database.ts';
import { CHUNK, type PendingBatch, type RetentionRepository } from './retention.repository.ts';
import {
  cutoffs,
  emptyReport,
  EXPIRING_SOURCES,
  RETENTION_KINDS,
  type Cutoff,
  type ExpiringSource,
  type PurgeReport,
  type RetentionWindows,
} from './retention.domain.ts';

/** Batches read per query of the pending ones. */
const BATCHES_PER_PAGE = 100;
/** The PostgreSQL advisory lock only one purge at a time holds, whatever the number of hub instances. */
const ADVISORY_LOCK = 0x796d7472; // 'ymtr'
const DECLARATIONS_CURSOR = 'declarations';

class DryRun extends Error {}

export class RetentionService {
  /** Rows removed since this process started, per kind (the metrics' counters). */
  readonly totals: PurgeReport = emptyReport();

  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
    private readonly repo: RetentionRepository,
    readonly windows: RetentionWindows,
    private readonly audit: AuditLogRepository = new AuditLogRepository(),
  ) {}

  /**
   * Removes what is past its window at `now`; returns what it removed per kind. `dryRun`: the same work in one
   * transaction rolled back at the end (exact counts; it holds its locks for the whole run). On PostgreSQL, when
   * another process is purging, does nothing and returns undefined.
   */
  async purge(now: Date, options: { dryRun?: boolean } = {}): Promise<PurgeReport | undefined> {
    if (options.dryRun) {
      let report = emptyReport();
      await inTransaction(this.db, async (trx) => {
        report = await this.run(trx, now);
        throw new DryRun();
      }).catch((e: unknown) => {
        if (!(e instanceof DryRun)) throw e;
      });
      return report;
    }
    const report = this.engine === 'postgres' ? await this.underLock(now) : await this.run(this.db, now);
    if (!report) return report;
    for (const k of RETENTION_KINDS) this.totals[k] += report[k];
    const removed = Object.fromEntries(
      RETENTION_KINDS.filter((k) => report[k] > 0).map((k) => [k, report[k]]),
    );
    if (Object.keys(removed).length > 0)
      await this.audit.append(this.db, {
        at: now.getTime(),
        actorKind: 'system',
        actorRef: 'retention',
        action: 'retention.purge',
        subject: null,
        detail: JSON.stringify(removed),
      });
    return report;
  }

  /** One purge on one connection holding the advisory lock; undefined when another holds it. */
  private underLock(now: Date): Promise<PurgeReport | undefined> {
    return this.db.connection().execute(async (conn) => {
      const { rows } = await sql<{
        ok: boolean;
      }>`select pg_try_advisory_lock(${ADVISORY_LOCK}) as ok`.execute(conn);
      if (rows[0]?.ok !== true) return undefined;
      try {
        return await this.run(conn, now);
      } finally {
        await sql`select pg_advisory_unlock(${ADVISORY_LOCK})`.execute(conn);
      }
    });
  }

  private async run(db: Db, now: Date): Promise<PurgeReport> {
    const at = now.getTime();
    const c = cutoffs(this.windows, now);
    const report = emptyReport();
    const shortest = Math.max(...EXPIRING_SOURCES.map((s) => c.feeds[s].ms));
    await this.repo.markKeptBatchesDone(db, ['area-risk'], shortest, at);
    for (const source of EXPIRING_SOURCES) report[source] = await this.feed(db, source, c.feeds[source], at);
    const chunks = (step: (trx: Db) => Promise<number>) => this.chunks(db, step);
    report.status_entries = await chunks((t) => this.repo.deleteEndedStatusEntries(t, c.feeds.health.ms));
    report.codes = await chunks((t) => this.repo.deleteBefore(t, 'codes', c.codes.ms));
    report.sessions = await chunks((t) => this.repo.deleteBefore(t, 'sessions', c.expired.ms));
    report.consents = await chunks((t) => this.repo.deleteBefore(t, 'consents', c.expired.ms));
    report.sign_in_challenges = await chunks((t) =>
      this.repo.deleteBefore(t, 'sign_in_challenges', c.challenges.ms),
    );
    report.declarations = await this.declarations(db, c.declarations);
    report.tickets = await this.tickets(db, c.tickets);
    report.access_history = await chunks((t) =>
      this.repo.deleteBefore(t, 'access_events', c.accessHistory.ms),
    );
    // A look-up is a scan at the hub: it goes with the codes (the holder's history of it stays a year).
    report.checkpoint_lookups = await chunks((t) =>
      this.repo.deleteBefore(t, 'checkpoint_lookups', c.codes.ms),
    );
    report.audit = await chunks((t) => this.audit.purgeBefore(t, c.audit.ms, CHUNK));
    report.exchange_outbox = await chunks((t) => this.repo.deleteAcknowledgedOutbox(t, c.feeds.health.ms));
    return report;
  }

  /** Repeats a bounded delete, each in its own transaction, until one removes less than a chunk. */
  private async chunks(db: Db, step: (trx: Db) => Promise<number>, size = CHUNK): Promise<number> {
    let total = 0;
    for (;;) {
      const removed = await inTransaction(db, step);
      total += removed;
      if (removed < size) return total;
    }
  }

  /** The source's batches received before the cut-off, oldest first: their records past the window. */
  private async feed(db: Db, source: ExpiringSource, cut: Cutoff, nowMs: number): Promise<number> {
    let total = 0;
    let after: PendingBatch | undefined;
    for (;;) {
      const batches = await this.repo.pendingBatches(db, source, cut.ms, after, BATCHES_PER_PAGE);
      for (const b of batches) {
        const { removed, done } = await this.batch(db, source, b, cut);
        total += removed;
        // A batch that keeps records dated after the cut-off is looked at again by a later purge.
        if (done)
          await inTransaction(db, async (trx) => {
            await this.repo.deleteQuarantine(trx, source, b.batchId);
            await this.repo.markBatchDone(trx, source, b.batchId, nowMs);
          });
      }
      after = batches.at(-1);
      if (batches.length < BATCHES_PER_PAGE) return total;
    }
  }

  /** One batch: what it removed, and whether the purge is done with it. */
  private async batch(
    db: Db,
    source: ExpiringSource,
    b: PendingBatch,
    cut: Cutoff,
  ): Promise<{ removed: number; done: boolean }> {
    let removed = 0;
    if (source === 'health') {
      const last = await this.repo.lastLine(db, 'health_events', b.batchId);
      for (let line = 0; line <= last; line += CHUNK)
        removed += await inTransaction(db, (t) =>
          this.repo.deleteSupersededHealthEvents(t, b.batchId, line, line + CHUNK, cut.ms),
        );
      await inTransaction(db, (t) => this.repo.deleteCaseTrips(t, b.batchId, cut.date));
      // A holder's newest event stays (it decides their case status); a later event, when its own batch is purged,
      // takes the older ones with it.
      return { removed, done: true };
    }
    if (source === 'telecom') {
      const last = await this.repo.lastLine(db, 'telecom_stays', b.batchId);
      for (let line = 0; line <= last; line += CHUNK)
        removed += await inTransaction(db, (t) =>
          this.repo.deleteTelecomStays(t, b.batchId, line, line + CHUNK, cut.ms),
        );
      return { removed, done: (await this.repo.telecomStaysLeft(db, b.batchId)) === 0 };
    }
    if (b.seqFrom === null || b.seqTo === null) return { removed, done: true };
    for (let seq = b.seqFrom; seq <= b.seqTo; seq += CHUNK) {
      const to = Math.min(seq + CHUNK - 1, b.seqTo);
      removed += await inTransaction(db, (t) =>
        this.repo.deleteManifests(t, source, b.batchId, seq, to, cut.date),
      );
    }
    return { removed, done: (await this.repo.manifestsLeft(db, b.seqFrom, b.seqTo)) === 0 };
  }

  /** Versions a modification replaced before the cut-off, walking the modifications in order from the cursor. */
  private async declarations(db: Db, cut: Cutoff): Promise<number> {
    const saved = await this.repo.cursor(db, DECLARATIONS_CURSOR);
    const [date = '', personId = ''] = saved?.split('|') ?? [];
    let after = { date, personId };
    let total = 0;
    for (;;) {
      const next = await this.repo.modificationsAfter(db, after, cut.date);
      const last = next.at(-1);
      if (!last) return total;
      total += await inTransaction(db, async (t) => {
        const removed = await this.repo.deleteReplacedVersions(
          t,
          next.map((m) => m.personId),
          cut.date,
        );
        await this.repo.setCursor(t, DECLARATIONS_CURSOR, `${last.date}|${last.personId}`);
        return removed;
      });
      after = last;
    }
  }

  private async tickets(db: Db, cut: Cutoff): Promise<number> {
    let total = 0;
    for (;;) {
      const removed = await inTransaction(db, async (t) =>
        this.repo.deleteTickets(t, await this.repo.closedTickets(t, cut.ms)),
      );
      total += removed;
      if (removed === 0) return total;
    }
  }
}
