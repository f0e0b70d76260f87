/**
 * A node receiving the national status of its holders from the hub (the hub's side of the status exchange sends
 * it; docs/federation.md#status-exchange): each delta names a holder by document; a newer delta id replaces what
 * the node holds, an older or repeated one changes nothing; the holder's snapshot is dropped in the same
 * transaction, so their next code carries it.
 */
import type { Colour } from '../codec/token.ts';
import { inTransaction, type Db } from '../db/database.ts';
import type { ErrorCode } from '../errors/registry.ts';
import type { ExchangedStatus } from '../exchange/exchange.domain.ts';
import { parseDocument, type DocumentType } from '../identity/document.domain.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import type { CaseStatusAnswer } from '../status/case-status.domain.ts';
import type { StatusReason } from '../status/status.domain.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { NATIONAL_SOURCE, type NationalStatusRepository } from './national-status.repository.ts';

/** A national delta as the hub sends it. */
export interface NationalDelta extends ExchangedStatus {
  readonly id: number;
  readonly documentType: DocumentType;
  readonly documentNumber: string;
  readonly nationality?: string | undefined;
  readonly colour: Colour;
  /** ISO 8601: when the hub computed it. */
  readonly changedAt: string;
}

export interface NationalReport {
  readonly received: number;
  readonly applied: number;
  readonly rejected: { id: number; code: ErrorCode; message: string }[];
}

/** The hub's record as a node names it: source `national`, the hub's source and batch in the batch id. */
function asNationalEvidence(e: StatusReason['evidence']): StatusReason['evidence'] {
  return { source: NATIONAL_SOURCE, batchId: `${e.source}/${e.batchId}`, record: e.record };
}

/** A national reason as the node shows and keeps it: marked national, the hub's record named beside it. */
export function asNationalReasons(s: ExchangedStatus): ExchangedStatus['reasons'] {
  return s.reasons.map((r) => ({
    code: r.code.startsWith('NATIONAL_') ? r.code : `NATIONAL_${r.code}`,
    colour: r.colour,
    text: `全国平台：${r.text}`,
    textEn: `National platform: ${r.textEn}`,
    evidence: asNationalEvidence(r.evidence),
  }));
}

/** The hub's case status as the node keeps it: its record named as the national reason names it. */
export function asNationalCaseStatus(c: CaseStatusAnswer | undefined): CaseStatusAnswer | null {
  if (!c) return null;
  return c.evidence ? { ...c, evidence: asNationalEvidence(c.evidence) } : c;
}

export class NationalStatusService {
  constructor(
    private readonly db: Db,
    private readonly persons: PersonsRepository,
    private readonly national: NationalStatusRepository,
    private readonly snapshots: StatusSnapshotsRepository,
  ) {}

  /** Stores one holder's national status (a delta, or the answer to a confirmed sign-in). */
  async store(
    personId: string,
    delta: { id: number; status: ExchangedStatus; asOf: number },
    now: Date,
  ): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      const stored = await this.national.putIfNewer(trx, personId, {
        deltaId: delta.id,
        colour: delta.status.colour,
        reasons: asNationalReasons(delta.status),
        caseStatus: asNationalCaseStatus(delta.status.caseStatus),
        asOf: delta.asOf,
        receivedAt: now.getTime(),
      });
      if (stored) await this.snapshots.invalidate(trx, personId);
      return stored;
    });
  }

  async apply(deltas: readonly NationalDelta[], now: Date): Promise<NationalReport> {
    const rejected: NationalReport['rejected'] = [];
    let applied = 0;
    for (const d of [...deltas].sort((a, b) => a.id - b.id)) {
      const doc = parseDocument(d.documentType, d.documentNumber, d.nationality, shanghaiDate(now));
      if (!doc.ok) {
        rejected.push({ id: d.id, code: doc.code, message: 'bad document' });
        continue;
      }
      const person = await this.persons.findByDocument(this.db, doc.value);
      if (!person) {
        rejected.push({ id: d.id, code: 'YMT_ERR_NOT_FOUND', message: 'not a holder of this node' });
        continue;
      }
      if (await this.store(person.personId, { id: d.id, status: d, asOf: Date.parse(d.changedAt) }, now))
        applied++;
    }
    return { received: deltas.length, applied, rejected };
  }
}
