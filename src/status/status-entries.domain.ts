/**
 * Status entries as operators create them (docs/operations.md#status-entries): the kinds they may create — data,
 * `status-entry-kinds.json`, validated here — and what an entry's input must be, each problem a coded error at its
 * field. Pure: the clock comes in.
 */
import type { Colour } from '../codec/token.ts';
import type { ErrorCode } from '../errors/registry.ts';
import { CASE_STATUSES } from '../feeds/feed-records.domain.ts';
import { DOCUMENT_TYPES, parseDocument, type DocumentRef } from '../identity/document.domain.ts';
import type { CaseStatus } from '../risk/evidence.ts';
import { textError } from '../text/text.domain.ts';
import { zonedInstant } from '../time/calendar.ts';
import { instantInWindow } from '../time/date-windows.domain.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import kindsDocument from './status-entry-kinds.json' with { type: 'json' };

/** A kind of entry: the case status it means (null: none), the colour it gives, the reason the holder reads. */
export interface StatusEntryKind {
  readonly code: string;
  readonly caseStatus: Exclude<CaseStatus, 'cleared'> | null;
  readonly colour: Exclude<Colour, 'green'>;
  readonly text: string;
  readonly textEn: string;
}

/** Longest reason an operator gives (for an entry, and for ending one). */
export const ENTRY_REASON_MAX = 200;

const HAN = /\p{Script=Han}/u;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const nonBlank = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Loads a kinds table; every problem comes back with its path, or the kinds when there is none. */
export function loadEntryKinds(
  doc: unknown,
): { ok: true; kinds: StatusEntryKind[] } | { ok: false; problems: { path: string; message: string }[] } {
  const problems: { path: string; message: string }[] = [];
  const list = isRecord(doc) ? doc.kinds : undefined;
  if (!Array.isArray(list) || list.length === 0)
    return { ok: false, problems: [{ path: 'kinds', message: 'a non-empty array of kinds' }] };
  const seen = new Set<string>();
  const kinds: StatusEntryKind[] = [];
  for (const [i, k] of (list as unknown[]).entries()) {
    const at = (field: string, message: string) => problems.push({ path: `kinds[${i}].${field}`, message });
    if (!isRecord(k)) {
      problems.push({ path: `kinds[${i}]`, message: 'an object' });
      continue;
    }
    const { code, caseStatus, colour, text, textEn } = k;
    if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]{1,63}$/.test(code))
      at('code', 'upper-case letters, digits and _');
    else if (seen.has(code)) at('code', 'each code once');
    else seen.add(code);
    if (caseStatus !== null && (caseStatus === 'cleared' || !CASE_STATUSES.some((s) => s === caseStatus)))
      at('caseStatus', 'confirmed, suspected, asymptomatic, close_contact or null');
    if (colour !== 'yellow' && colour !== 'red') at('colour', 'yellow or red');
    if (!nonBlank(text) || !HAN.test(text)) at('text', 'the Chinese text');
    if (!nonBlank(textEn) || HAN.test(textEn)) at('textEn', 'the English text');
    kinds.push({ code, caseStatus, colour, text, textEn } as StatusEntryKind);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, kinds };
}

const loaded = loadEntryKinds(kindsDocument);
if (!loaded.ok) throw new Error(`status-entry-kinds.json is invalid: ${JSON.stringify(loaded.problems)}`);

/** The kinds an operator may create, in the table's order. */
export const ENTRY_KINDS: readonly StatusEntryKind[] = loaded.kinds;

export function entryKind(code: string): StatusEntryKind | undefined {
  return ENTRY_KINDS.find((k) => k.code === code);
}

/** What an operator gives to create an entry (the console's body, the command's options). */
export interface StatusEntryInput {
  readonly documentType: string;
  readonly documentNumber: string;
  readonly nationality?: string | undefined;
  readonly kind: string;
  /** When the entry ends by itself (ISO 8601 with a zone, later than now); none: until an operator ends it. */
  readonly until?: string | undefined;
  readonly reason: string;
}

export interface ParsedStatusEntry {
  readonly doc: DocumentRef;
  readonly kind: StatusEntryKind;
  readonly until: number | null;
  readonly reason: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; field: string };

/** A reason an operator must give: trimmed, not blank, at most ENTRY_REASON_MAX code points. */
export function parseReason(field: string, value: unknown): Parsed<string> {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '' || Array.from(text).length > ENTRY_REASON_MAX)
    return { ok: false, code: 'YMT_ERR_VALIDATION', field };
  // The text rule (src/text/text.domain.ts): the command line is held to what the console's schema holds.
  const broken = textError(text, { kind: 'line', maxLength: ENTRY_REASON_MAX });
  return broken === undefined ? { ok: true, value: text } : { ok: false, code: broken, field };
}

/** Checks an entry's input field by field, in the form's order; the first problem, or the parsed entry. */
export function parseEntryInput(input: StatusEntryInput, now: Date): Parsed<ParsedStatusEntry> {
  const type = DOCUMENT_TYPES.find((t) => t === input.documentType);
  if (type === undefined) return { ok: false, code: 'YMT_ERR_VALIDATION', field: 'documentType' };
  const nationality = input.nationality?.trim() === '' ? undefined : input.nationality;
  const doc = parseDocument(type, input.documentNumber, nationality, shanghaiDate(now));
  if (!doc.ok) return doc;
  const kind = entryKind(input.kind);
  if (!kind) return { ok: false, code: 'YMT_ERR_STATUS_ENTRY_KIND', field: 'kind' };
  let until: number | null = null;
  if (input.until !== undefined) {
    const at = zonedInstant(input.until.trim());
    if (at === undefined || at <= now.getTime())
      return { ok: false, code: 'YMT_ERR_STATUS_ENTRY_UNTIL', field: 'until' };
    if (!instantInWindow(at, 'statusEntryUntil', now.getTime()))
      return { ok: false, code: 'YMT_ERR_DATE_IMPLAUSIBLE', field: 'until' };
    until = at;
  }
  const reason = parseReason('reason', input.reason);
  if (!reason.ok) return reason;
  return { ok: true, value: { doc: doc.value, kind, until, reason: reason.value } };
}
