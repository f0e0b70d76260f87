/**
 * What accepting a correction does to the disputed record, by its owner's own path (docs/corrections.md#accepting):
 * a department's feed record is retracted or amended through the record corrections (src/corrections/
 * record-corrections.service.ts: a correction record with its own provenance, what was derived from the record
 * withdrawn, statuses recomputed, the holders' codes withdrawn at the hub); an operator's status entry is ended; an
 * area risk level entered at the console is withdrawn; a province's pushed finding is withdrawn. Never silent: each
 * names the ticket and who decided.
 */
import type { Actor } from '../access/actor.ts';
import type { AreaRiskService } from '../area-risk/area-risk.service.ts';
import { actorOf } from '../audit/audited.ts';
import type { AuditActor } from '../audit/audit-chain.ts';
import { inTransaction, type Db } from '../db/database.ts';
import { AppError, fieldProblem } from '../errors/app-error.ts';
import { isFeedSource, type FeedSource } from '../feeds/feed-records.domain.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { HoldersRepository } from '../province-api/holders.repository.ts';
import type { StatusEntriesService } from '../status/status-entries.service.ts';
import type { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import type { Ticket } from '../tickets/tickets.repository.ts';
import type { Owner } from '../tickets/workflow.domain.ts';
import type { EvidenceRef } from './corrections.domain.ts';
import type { RecordCorrection } from './record-corrections.domain.ts';

/** An owner's decision, at every entry point. */
export interface Decision {
  readonly decision: 'accept' | 'reject';
  /** Required to reject (the holder reads it); optional to accept. */
  readonly answer?: string | undefined;
  /** A feed record: retract it (the default), or amend it with `record` (the source's fields, docs/feeds.md). */
  readonly action?: 'retract' | 'amend' | undefined;
  readonly record?: Readonly<Record<string, unknown>> | undefined;
}

/** Who corrected a record, and why. */
export interface CorrectedBy {
  readonly ticketId: string | null;
  readonly actor: string;
  readonly reason: string;
  readonly who: AuditActor;
}

/** The record corrections a feed record goes through (src/corrections/record-corrections.service.ts). */
export interface RecordCorrector {
  retract(
    ref: { source: FeedSource; batchId: string; record: number },
    by: CorrectedBy,
    now: Date,
  ): Promise<unknown>;
  amend(
    ref: { source: FeedSource; batchId: string; record: number },
    replacement: Readonly<Record<string, unknown>>,
    by: CorrectedBy,
    now: Date,
  ): Promise<unknown>;
  /** The corrections a ticket's acceptance made. */
  ofTicket(ticketId: string): Promise<readonly RecordCorrection[]>;
}

/** Withdraws the live codes the hub issued to these holders (their old colour stops verifying at the hub). */
export type CodeWithdrawal = (db: Db, personIds: readonly string[], now: Date) => Promise<unknown>;

/** The first moment: an area risk level ended then is withdrawn (it never applied). */
const WITHDRAWN = new Date(0).toISOString();

export class CorrectionEffects {
  constructor(
    private readonly db: Db,
    private readonly records: RecordCorrector,
    private readonly statusEntries: StatusEntriesService,
    private readonly areaRisk: AreaRiskService,
    private readonly holders: HoldersRepository,
    private readonly persons: PersonsRepository,
    private readonly snapshots: StatusSnapshotsRepository,
    private readonly withdrawCodes: CodeWithdrawal,
  ) {}

  async apply(
    actor: Actor,
    c: Ticket<{ evidence: EvidenceRef }>,
    owner: Owner,
    d: Decision,
    now: Date,
  ): Promise<void> {
    const e = c.details.evidence;
    const reason = d.answer?.trim() || `correction ${c.ticketId}`;
    const by: CorrectedBy = { ticketId: c.ticketId, actor: actor.name, reason, who: actorOf(actor) };
    if (d.action === 'amend' && (!isFeedSource(e.source) || e.batchId.startsWith('console-')))
      throw new AppError('YMT_ERR_VALIDATION', [fieldProblem('action', 'YMT_ERR_VALIDATION')]);
    if (isFeedSource(e.source) && e.source === 'area-risk' && e.batchId.startsWith('console-')) {
      await this.areaRisk.end({ batchId: e.batchId, line: e.record, endsAt: WITHDRAWN, reason }, actor, now);
      return;
    }
    if (isFeedSource(e.source)) {
      const ref = { source: e.source, batchId: e.batchId, record: e.record };
      if (d.action === 'amend' && d.record === undefined)
        throw new AppError('YMT_ERR_VALIDATION', [fieldProblem('record', 'YMT_ERR_VALIDATION')]);
      try {
        if (d.action === 'amend' && d.record !== undefined) await this.records.amend(ref, d.record, by, now);
        else await this.records.retract(ref, by, now);
      } catch (err) {
        // Corrected by this very ticket before (a decision interrupted before the ticket moved): done already.
        const again =
          err instanceof AppError &&
          err.code === 'YMT_ERR_RECORD_ALREADY_CORRECTED' &&
          (await this.records.ofTicket(c.ticketId)).length > 0;
        if (!again) throw err;
      }
      return;
    }
    if (e.source === 'status') {
      await this.statusEntries.end(actor, e.batchId, reason, now);
      await this.withdrawCodes(this.db, [c.personId], now);
      return;
    }
    if (owner.kind === 'province') {
      const keys = await this.persons.lookupKeys(this.db, c.personId);
      if (!keys) throw new AppError('YMT_ERR_RECORD_NOT_FOUND');
      await inTransaction(this.db, async (trx) => {
        if (
          !(await this.holders.withdrawFinding(
            trx,
            owner.province,
            keys.documentHash,
            e.record,
            now.getTime(),
          ))
        )
          throw new AppError('YMT_ERR_RECORD_NOT_FOUND');
        await this.snapshots.invalidate(trx, c.personId);
        await this.withdrawCodes(trx, [c.personId], now);
      });
    }
    // Anything else (routed to the operators by default) is acknowledged: there is no record of ours to change.
  }

  /** What accepting this ticket corrected (a retraction, or an amendment naming its replacement). */
  recorded(ticketId: string): Promise<readonly RecordCorrection[]> {
    return this.records.ofTicket(ticketId);
  }
}
