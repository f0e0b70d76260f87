/**
 * Correcting one feed record (issue 13, docs/feeds.md#corrected-records): what a correction is, what it names, and
 * the pure checks an owner's decision goes through before anything is written. No I/O; the clock comes in as a
 * parameter. The service (record-corrections.service.ts) does the writing.
 */
import type { AuditActor } from '../audit/audit-chain.ts';
import { AppError, fieldProblem, requiredText } from '../errors/app-error.ts';
import { parseFeedRecord, type FeedRecord, type FeedSource } from '../feeds/feed-records.domain.ts';

export const CORRECTION_ACTIONS = ['retract', 'amend'] as const;
export type CorrectionAction = (typeof CORRECTION_ACTIONS)[number];

/** One record of a published batch: the provenance every reason names (`evidence: {source, batchId, record}`). */
export interface RecordRef {
  readonly source: FeedSource;
  readonly batchId: string;
  /** The record's line in its batch. */
  readonly record: number;
}

/** Who decided, and why: the workflow passes its ticket; an owner correcting without one passes null. */
export interface CorrectionDecision {
  readonly ticketId: string | null;
  readonly actor: string;
  readonly reason: string;
  /** Who decided, as the audit log names them. */
  readonly who: AuditActor;
}

/** A correction as kept and shown beside the original ("corrected"). */
export interface RecordCorrection {
  readonly id: string;
  readonly source: FeedSource;
  readonly batchId: string;
  readonly record: number;
  readonly action: CorrectionAction;
  /** An amendment's replacement: a one-record batch of the same source (its record is line 1). */
  readonly replacement: { readonly batchId: string; readonly record: number } | null;
  readonly ticketId: string | null;
  readonly decidedBy: string;
  readonly reason: string;
  readonly decidedAt: string;
}

/** What kinds of evidence a source's records are (each is withdrawn in its own way). */
export type RecordKind = 'health' | 'manifest' | 'telecom' | 'area-risk';

export function recordKind(source: FeedSource): RecordKind {
  switch (source) {
    case 'health':
      return 'health';
    case 'railway':
    case 'aviation':
    case 'immigration':
      return 'manifest';
    case 'telecom':
      return 'telecom';
    case 'area-risk':
      return 'area-risk';
  }
}

export const REASON_MAX = 2000;
export const ACTOR_MAX = 200;

/** The decision's text fields, trimmed; YMT_ERR_VALIDATION at the field otherwise. */
export function checkDecision(by: CorrectionDecision): CorrectionDecision {
  const ticketId = by.ticketId === null ? null : requiredText('ticketId', by.ticketId, ACTOR_MAX, 'line');
  return {
    ticketId,
    actor: requiredText('actor', by.actor, ACTOR_MAX, 'line'),
    reason: requiredText('reason', by.reason, REASON_MAX),
    who: by.who,
  };
}

/** A record reference that can name a record at all (a line is a positive integer). */
export function checkRef(ref: RecordRef): void {
  if (!Number.isSafeInteger(ref.record) || ref.record < 1 || ref.batchId === '')
    throw new AppError('YMT_ERR_RECORD_NOT_FOUND');
}

/**
 * An amendment's replacement, checked exactly as the source's batches are (docs/feeds.md) on the day of `now`:
 * the record, or YMT_ERR_AMENDMENT_INVALID with the field at fault and why.
 */
export function checkReplacement(
  source: FeedSource,
  replacement: Record<string, unknown>,
  now: Date,
): FeedRecord {
  const r = parseFeedRecord(source, replacement, now);
  if (!r.ok) throw new AppError('YMT_ERR_AMENDMENT_INVALID', [fieldProblem(r.field, r.code)]);
  return r.record;
}

/** JSON with the keys in order at every level: the same fields give the same text (the replacement's hash). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  // What JSON has no text for (undefined, a function) is null, as JSON.stringify writes it inside an array.
  if (value === undefined || typeof value === 'function') return 'null';
  return JSON.stringify(value);
}

/** The replacement batch's id, derived from the correction (a batch id: letters, digits, `.`, `-`, `_`). */
export function replacementBatchId(correctionId: string): string {
  return `correction.${correctionId}`;
}

/**
 * The codes still live at `nowMs`: not expired, or expired so recently that a verifier's clock-skew tolerance
 * still accepts them (code-format.md, step 10).
 */
export function liveAfter(nowMs: number, skewSeconds: number): number {
  return nowMs - skewSeconds * 1000;
}

/**
 * The places an area's risk level applies to, as a prefix of their GB/T 2260 codes: a province (`xx0000`) its
 * whole province, a prefecture (`xxxx00`) its prefecture, a county or city itself (the inverse of
 * evidence.repository.ts `enclosingAreas`).
 */
export function areaPrefix(areaCode: string): { exact: string; prefix: string | null } {
  if (areaCode.endsWith('0000')) return { exact: areaCode, prefix: areaCode.slice(0, 2) };
  if (areaCode.endsWith('00')) return { exact: areaCode, prefix: areaCode.slice(0, 4) };
  return { exact: areaCode, prefix: null };
}
