/**
 * Correcting feed records (issue 13, docs/feeds.md#corrected-records): what an owner's accepted correction does to
 * the evidence. The workflow (the tickets, their owners and states) calls it; it never decides who may.
 *
 * - **Retract**: in one transaction the correction is recorded (who, why, when, the ticket) and the original row
 *   marked corrected — it stays, shown as corrected, but is evidence no more — and everything derived from it is
 *   withdrawn: a case event's case trips and the exposures it caused; a manifest row's exposures, and when the
 *   traveller was a case on that trip, the case trips and exposures made through it. The status snapshots of
 *   everyone concerned are dropped (which marks them for the status exchange) and their live codes withdrawn: the
 *   hub's online verification refuses them, and their next code shows the new colour. A later `cleared` event is not
 *   a correction: it withdraws nothing (those contacts were exposed).
 * - **Amend**: the same retraction, then the replacement sent through the ingestion as a one-record batch of the same
 *   source and sending province (`correction.<id>`), so exposures and statuses come from the normal path. The
 *   replacement is checked before anything is written; re-running an amendment interrupted between the two steps
 *   finishes it.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { appendFacts } from '../audit/audited.ts';
import { inTransaction, isUniqueViolation, type Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { ExposuresRepository } from '../exposure/exposures.repository.ts';
import type { BatchReport, IngestService } from '../feeds/ingest.service.ts';
import { isFeedSource } from '../feeds/feed-records.domain.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import type { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import {
  areaPrefix,
  canonicalJson,
  checkDecision,
  checkRef,
  checkReplacement,
  liveAfter,
  recordKind,
  replacementBatchId,
  type CorrectionAction,
  type CorrectionDecision,
  type RecordCorrection,
  type RecordRef,
} from './record-corrections.domain.ts';
import type {
  CorrectionRow,
  LocatedRecord,
  RecordCorrectionsRepository,
} from './record-corrections.repository.ts';

export type { RecordCorrection, RecordRef, CorrectionDecision } from './record-corrections.domain.ts';

/** What a correction changed, for the caller to report (and the holders to tell). */
export interface CorrectionOutcome {
  readonly correction: RecordCorrection;
  readonly withdrawn: {
    /** Exposures withdrawn (co-travel and inbound flights). */
    readonly exposures: number;
    /** Trips of a case withdrawn (the seeds of its contacts' exposures). */
    readonly caseTrips: number;
    /** Live codes withdrawn (the hub refuses them). */
    readonly codes: number;
  };
  /** The registered holders whose status was recomputed (their snapshots dropped), the record's own included. */
  readonly holders: readonly string[];
  /** True for an area's risk level, which may concern anyone: every snapshot was dropped. */
  readonly everyone: boolean;
  /** An amendment: the replacement batch's report (its record is line 1). */
  readonly replacement?: BatchReport;
  /** An interrupted amendment finished by this call: the retraction had been done before (counts are this call's). */
  readonly resumed?: boolean;
}

/** What the service needs of the ingestion. */
export type Ingest = Pick<IngestService, 'ingest'>;

type Change = { action: CorrectionAction; replacementBatchId: string | null; replacementHash: string | null };

function toCorrection(r: CorrectionRow): RecordCorrection {
  if (!isFeedSource(r.source)) throw new Error(`record correction ${r.correction_id} of source ${r.source}`);
  return {
    id: r.correction_id,
    source: r.source,
    batchId: r.batch_id,
    record: r.line,
    action: r.action,
    replacement: r.replacement_batch_id === null ? null : { batchId: r.replacement_batch_id, record: 1 },
    ticketId: r.ticket_id,
    decidedBy: r.decided_by,
    reason: r.reason,
    decidedAt: new Date(r.decided_at).toISOString(),
  };
}

export class RecordCorrectionsService {
  constructor(
    private readonly db: Db,
    private readonly repo: RecordCorrectionsRepository,
    private readonly exposures: ExposuresRepository,
    private readonly snapshots: StatusSnapshotsRepository,
    private readonly ingest: Ingest,
    private readonly cipher: FieldCipher,
    /** The verifiers' clock-skew tolerance: a code expired less than this ago is still live. */
    private readonly skewSeconds: number,
  ) {}

  /** Retracts a record: it is evidence no more, and nothing derived from it stays. */
  async retract(ref: RecordRef, by: CorrectionDecision, now: Date): Promise<CorrectionOutcome> {
    checkRef(ref);
    const decision = checkDecision(by);
    const change = { action: 'retract' as const, replacementBatchId: null, replacementHash: null };
    return inTransaction(this.db, (trx) => this.correct(trx, ref, change, decision, now));
  }

  /**
   * Amends a record: retracts it, then sends `replacement` (the source's fields, docs/feeds.md) as a one-record
   * batch of the same source and province. A replacement that fails the source's checks changes nothing
   * (YMT_ERR_AMENDMENT_INVALID, with the field). Re-running an amendment interrupted after the retraction, with the
   * same replacement, publishes the replacement; once it is published, it is YMT_ERR_RECORD_ALREADY_CORRECTED.
   */
  async amend(
    ref: RecordRef,
    replacement: Record<string, unknown>,
    by: CorrectionDecision,
    now: Date,
  ): Promise<CorrectionOutcome> {
    checkRef(ref);
    const decision = checkDecision(by);
    checkReplacement(ref.source, replacement, now);
    const text = canonicalJson(replacement);
    const hash = this.cipher.index('record-correction', `${ref.source}\u0000${text}`);
    const batch = await this.repo.batch(this.db, ref.source, ref.batchId);
    if (!batch) throw new AppError('YMT_ERR_RECORD_NOT_FOUND');

    const [earlier] = await this.repo.ofRecord(this.db, ref);
    let outcome: CorrectionOutcome;
    if (earlier) {
      const batchId = earlier.replacement_batch_id;
      const unfinished =
        earlier.action === 'amend' &&
        batchId !== null &&
        earlier.replacement_hash === hash &&
        (await this.repo.batch(this.db, ref.source, batchId)) === undefined;
      if (!unfinished) throw new AppError('YMT_ERR_RECORD_ALREADY_CORRECTED');
      outcome = {
        correction: toCorrection(earlier),
        withdrawn: { exposures: 0, caseTrips: 0, codes: 0 },
        holders: [],
        everyone: false,
        resumed: true,
      };
    } else {
      const id = this.newId();
      const change = {
        action: 'amend' as const,
        replacementBatchId: replacementBatchId(id),
        replacementHash: hash,
      };
      outcome = await inTransaction(this.db, (trx) => this.correct(trx, ref, change, decision, now, id));
    }
    // Outside the transaction: the ingestion publishes and processes the batch in its own (a crash before this
    // leaves the record retracted and its amendment recorded; the same call again finishes it).
    const replacementId = outcome.correction.replacement?.batchId;
    if (replacementId === undefined) throw new Error('an amendment without its replacement batch');
    const report = await this.ingest.ingest(Readable.from([text]), {
      source: ref.source,
      format: 'ndjson',
      batchId: replacementId,
      province: batch.province,
      now,
      by: decision.who,
    });
    if (report.accepted !== 1) throw new Error(`replacement batch ${replacementId} was not accepted`);
    return { ...outcome, replacement: report };
  }

  /** The corrections of a record (none, or the one it had): shown beside the original as "corrected". */
  async corrections(ref: RecordRef): Promise<RecordCorrection[]> {
    return (await this.repo.ofRecord(this.db, ref)).map(toCorrection);
  }

  /** The correction a replacement batch was sent for (its provenance points at the original), if it is one. */
  async replacing(source: RecordRef['source'], batchId: string): Promise<RecordCorrection | undefined> {
    const r = await this.repo.byReplacement(this.db, source, batchId);
    return r && toCorrection(r);
  }

  /** The corrections made when a ticket was accepted. */
  async ofTicket(ticketId: string): Promise<RecordCorrection[]> {
    return (await this.repo.byTicket(this.db, ticketId)).map(toCorrection);
  }

  /** Whether a code this hub issued (its hex id, the verifier's `codeId`) was withdrawn after a correction. */
  codeWithdrawn(codeId: string): Promise<boolean> {
    return this.repo.codeWithdrawn(this.db, codeId);
  }

  private newId(): string {
    return `rc_${randomBytes(12).toString('hex')}`;
  }

  /** Records the correction, marks the original and withdraws what it caused: all in `trx`. */
  private async correct(
    trx: Db,
    ref: RecordRef,
    change: Change,
    by: CorrectionDecision,
    now: Date,
    id: string = this.newId(),
  ): Promise<CorrectionOutcome> {
    const record = await this.repo.locate(trx, ref, recordKind(ref.source));
    if (!record) throw new AppError('YMT_ERR_RECORD_NOT_FOUND');
    if (record.correctedAt !== null) throw new AppError('YMT_ERR_RECORD_ALREADY_CORRECTED');
    const row: CorrectionRow = {
      correction_id: id,
      source: ref.source,
      batch_id: ref.batchId,
      line: ref.record,
      action: change.action,
      replacement_batch_id: change.replacementBatchId,
      replacement_hash: change.replacementHash,
      ticket_id: by.ticketId,
      decided_by: by.actor,
      reason: by.reason,
      decided_at: now.getTime(),
    };
    try {
      await this.repo.insert(trx, row);
    } catch (e) {
      // Corrected at the same moment by another call: one correction per record.
      if (isUniqueViolation(e)) throw new AppError('YMT_ERR_RECORD_ALREADY_CORRECTED');
      throw e;
    }
    await this.repo.markCorrected(trx, ref, record, now.getTime());
    await appendFacts(trx, {
      at: now.getTime(),
      ...by.who,
      action: `record.${change.action}`,
      subject: `${ref.source}/${ref.batchId}#${String(ref.record)}`,
      detail: JSON.stringify({ correction: id, ticket: by.ticketId, replacement: change.replacementBatchId }),
    });
    const effects = await this.withdrawDerived(trx, ref, record, now);

    const live = liveAfter(now.getTime(), this.skewSeconds);
    let holders: string[];
    if (effects.everyone) {
      await this.snapshots.invalidateAll(trx);
      if (record.kind !== 'area-risk') throw new Error('only an area concerns everyone');
      holders = await this.repo.liveHoldersInArea(
        trx,
        { ...areaPrefix(record.areaCode), validFrom: record.validFrom, validTo: record.validTo },
        live,
      );
    } else {
      await this.snapshots.invalidateByHashes(trx, effects.documents, effects.phones);
      holders = await this.repo.holders(trx, effects.documents, effects.phones);
    }
    const codes = await this.repo.withdrawCodes(trx, holders, live, now.getTime());
    return {
      correction: toCorrection(row),
      withdrawn: { exposures: effects.exposures, caseTrips: effects.caseTrips, codes },
      holders,
      everyone: effects.everyone,
    };
  }

  /** Withdraws what was derived from the record; says whose evidence changed. */
  private async withdrawDerived(
    trx: Db,
    ref: RecordRef,
    record: LocatedRecord,
    now: Date,
  ): Promise<{
    documents: string[];
    phones: string[];
    everyone: boolean;
    exposures: number;
    caseTrips: number;
  }> {
    const none = { documents: [], phones: [], everyone: false, exposures: 0, caseTrips: 0 };
    switch (record.kind) {
      case 'telecom':
        return { ...none, phones: [record.phoneHash] };
      case 'area-risk':
        return { ...none, everyone: true };
      case 'health': {
        // Whatever its status: a cleared or close-contact event caused nothing, a case event its contacts'.
        const w = await this.repo.withdrawCaseEvent(trx, { batchId: ref.batchId, line: ref.record });
        return {
          ...none,
          documents: [...new Set([record.docHash, ...w.exposed])],
          exposures: w.exposures,
          caseTrips: w.caseTrips,
        };
      }
      case 'manifest': {
        let exposures = await this.repo.withdrawTravellerExposures(trx, record.seq);
        const documents = new Set([record.docHash]);
        let caseTrips = 0;
        // The traveller a case on that trip: unless another row still puts them there, what their presence caused
        // goes, then whatever their other places on the same journey (if any) still justify is flagged again.
        if (!(await this.repo.sameTripElsewhere(trx, record))) {
          const w = await this.repo.withdrawCaseTripsOf(trx, record);
          caseTrips = w.caseTrips;
          exposures += w.exposures;
          if (w.caseTrips > 0) {
            const again = await this.exposures.flagContacts(
              trx,
              (eb) =>
                eb.and([eb('c.trip_key', '=', record.tripKey), eb('c.case_doc_hash', '=', record.docHash)]),
              now.getTime(),
              { returning: true },
            );
            exposures -= again.count;
            const still = new Set(again.exposed);
            for (const h of w.exposed) if (!still.has(h)) documents.add(h);
          }
        }
        return { ...none, documents: [...documents], exposures, caseTrips };
      }
    }
  }
}
