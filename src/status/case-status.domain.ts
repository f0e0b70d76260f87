/**
 * The holder's case status (Q2.2, `GET /api/v1/me/health/case-status`), derived from the very findings that decide
 * the colour: each reason names the record behind it, and a record of a health event (the health commission's
 * feed) or of a status entry (an operator's, src/status/status-entries.service.ts) says which case status it
 * means. So case status, colour and reasons cannot disagree: a case status other than `cleared` or `none` is always
 * one of the reasons, with the same evidence. Pure.
 */
import type { CaseStatus, HealthEvent } from '../risk/evidence.ts';
import { STATUS_ENTRY_SOURCE, type StatusReason } from './status.domain.ts';

export interface CaseStatusAnswer {
  readonly status: CaseStatus | 'none';
  /** Confirmed, suspected or asymptomatic. */
  readonly isCase: boolean;
  /** When the record says the status began (the health event's time, the entry's start). */
  readonly at?: string;
  /** The record: the same as the reason's. */
  readonly evidence?: StatusReason['evidence'];
}

/** What the records behind the findings say. */
export interface CaseRecords {
  /** The holder's health events (any order). */
  readonly healthEvents: readonly HealthEvent[];
  /** Status entries by id: the case status their kind means (null: none) and their start. */
  readonly entries: ReadonlyMap<
    string,
    { readonly caseStatus: CaseStatus | null; readonly validFrom: number }
  >;
  /**
   * On a provincial node: the case status the hub sent with the holder's national status, its evidence as the
   * national reason names it (the hub's answer: a node holds no record of its own behind a national finding).
   */
  readonly national?: CaseStatusAnswer;
}

const sameRecord = (a: StatusReason['evidence'], b: StatusReason['evidence']) =>
  a.source === b.source && a.batchId === b.batchId && a.record === b.record;

const ACTIVE_CASE: ReadonlySet<CaseStatus | 'none'> = new Set(['confirmed', 'suspected', 'asymptomatic']);
/** The most serious first: when several findings carry a case status, the most serious is the answer. */
const SEVERITY: readonly CaseStatus[] = [
  'confirmed',
  'asymptomatic',
  'suspected',
  'close_contact',
  'cleared',
];

interface Found {
  readonly status: CaseStatus;
  readonly at: string;
  readonly evidence: StatusReason['evidence'];
}

/** The case status a finding's record means, if it means one. */
function caseOf(reason: StatusReason, records: CaseRecords): Found | undefined {
  const { source, batchId, record } = reason.evidence;
  if (source === 'health') {
    const event = records.healthEvents.find(
      (e) => e.evidence.batchId === batchId && e.evidence.record === record,
    );
    return event && { status: event.status, at: event.at, evidence: reason.evidence };
  }
  if (source === STATUS_ENTRY_SOURCE) {
    const entry = records.entries.get(batchId);
    return entry?.caseStatus
      ? {
          status: entry.caseStatus,
          at: new Date(entry.validFrom).toISOString(),
          evidence: reason.evidence,
        }
      : undefined;
  }
  const national = records.national;
  if (national?.evidence && national.status !== 'none' && sameRecord(national.evidence, reason.evidence))
    return { status: national.status, at: national.at ?? '', evidence: reason.evidence };
  return undefined;
}

/**
 * The case status of the findings (`reasons`): the most serious one a finding's record carries (the latest of
 * equals). Without one: `cleared` when the holder's latest health event is a clearance (what turned the colour
 * back) or, on a node holding no health event, when the hub's answer is; otherwise `none`.
 */
export function caseStatusOf(reasons: readonly StatusReason[], records: CaseRecords): CaseStatusAnswer {
  const found = reasons
    .flatMap((r) => caseOf(r, records) ?? [])
    .sort(
      (a, b) =>
        SEVERITY.indexOf(a.status) - SEVERITY.indexOf(b.status) || Date.parse(b.at) - Date.parse(a.at),
    );
  const best = found[0];
  if (best) return { ...best, isCase: ACTIVE_CASE.has(best.status) };
  const latest = [...records.healthEvents].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).at(-1);
  if (latest?.status === 'cleared')
    return { status: 'cleared', isCase: false, at: latest.at, evidence: latest.evidence };
  // On a node, the hub's clearance when the node itself holds none.
  if (records.national?.status === 'cleared') return records.national;
  return { status: 'none', isCase: false };
}
