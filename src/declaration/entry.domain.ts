/**
 * Inbound travellers' entry information (Q10): what a holder declares about their arrival in China — the flight or
 * train, its date, the port of entry, the country they left from, where they quarantine — and how it compares with
 * what the immigration feed recorded for their document. Pure; "today" (Asia/Shanghai, YYYY-MM-DD) is a parameter.
 */
import { fieldProblem, type FieldProblem } from '../errors/app-error.ts';
import type { ErrorCode } from '../errors/registry.ts';
import { FLIGHT_NO, TRAIN_NO } from '../feeds/feed-records.domain.ts';
import { isCountryAlpha3 } from '../regions/regions.ts';
import { isIsoDate, shiftDate } from '../time/calendar.ts';

export interface EntryFields {
  /** Flight (CA1234) or train (Z97) number, upper case. */
  readonly tripNo: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  readonly date: string;
  readonly portOfEntry: string;
  /** ISO 3166-1 alpha-3. */
  readonly fromCountry: string;
  readonly quarantinePlace?: string;
}

/** The oldest arrival a declaration may name: the mission's 14 days and a margin for a quarantine's tail. */
export const ENTRY_DAYS_BACK = 30;
/** A traveller may declare the day before landing (the date is the trip's, in Asia/Shanghai). */
export const ENTRY_DAYS_AHEAD = 1;

/** The dates an entry may have on `today` (Asia/Shanghai), and the immigration records it is compared with. */
export function entryWindow(today: string): { since: string; until: string } {
  return { since: shiftDate(today, -ENTRY_DAYS_BACK), until: shiftDate(today, ENTRY_DAYS_AHEAD) };
}

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}]/u;

function cleanText(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.normalize('NFC').trim();
  if (t.length === 0 || Array.from(t).length > max || FORBIDDEN.test(t)) return undefined;
  return t;
}

export type EntryResult = { ok: true; value: EntryFields } | { ok: false; problems: FieldProblem[] };

/** Validates the `entry` object of a declaration; problems are named `entry.<field>`. */
export function validateEntry(input: unknown, today: string): EntryResult {
  const problems: FieldProblem[] = [];
  const bad = (field: string, code: ErrorCode = 'YMT_ERR_VALIDATION') =>
    problems.push(fieldProblem(`entry.${field}`, code));
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: [fieldProblem('entry', 'YMT_ERR_VALIDATION')] };
  }
  const e = input as Record<string, unknown>;
  const tripNo = typeof e.tripNo === 'string' ? e.tripNo.trim().toUpperCase().replace(/\s+/g, '') : '';
  if (!FLIGHT_NO.test(tripNo) && !TRAIN_NO.test(tripNo)) bad('tripNo');
  const date = typeof e.date === 'string' ? e.date.trim() : '';
  const window = entryWindow(today);
  if (!isIsoDate(date)) bad('date');
  else if (date < window.since || date > window.until) bad('date', 'YMT_ERR_ENTRY_DATE_RANGE');
  const portOfEntry = cleanText(e.portOfEntry, 64);
  if (portOfEntry === undefined) bad('portOfEntry');
  const fromCountry = typeof e.fromCountry === 'string' ? e.fromCountry.trim().toUpperCase() : '';
  if (!isCountryAlpha3(fromCountry)) bad('fromCountry', 'YMT_ERR_COUNTRY_UNKNOWN');
  const quarantinePlace = e.quarantinePlace === undefined ? undefined : cleanText(e.quarantinePlace, 200);
  if (e.quarantinePlace !== undefined && quarantinePlace === undefined) bad('quarantinePlace');
  if (problems.length > 0 || portOfEntry === undefined) return { ok: false, problems };
  return {
    ok: true,
    value: {
      tripNo,
      date,
      portOfEntry,
      fromCountry,
      ...(quarantinePlace === undefined ? {} : { quarantinePlace }),
    },
  };
}

/** An arrival the immigration feed recorded for the holder's document. */
export interface RecordedEntry {
  readonly tripNo: string;
  readonly date: string;
  readonly port: string | null;
}

export interface EntryCheck {
  /** `matched`: a record of the same trip and date; `mismatch`: records, none of that trip and date;
   *  `not_recorded`: no record in the window (yet: feeds arrive after the landing). */
  readonly result: 'matched' | 'mismatch' | 'not_recorded';
  /** For a mismatch, the fields that differ from the nearest record (by date). */
  readonly fields: ('tripNo' | 'date')[];
  /** For a mismatch, that nearest record. */
  readonly nearest?: RecordedEntry;
}

/**
 * The declared entry against the immigration records. Trip and date decide; the port is shown beside, not
 * compared (the feed names ports by its own codes, the holder by name).
 */
export function compareEntry(declared: EntryFields, recorded: readonly RecordedEntry[]): EntryCheck {
  if (recorded.length === 0) return { result: 'not_recorded', fields: [] };
  if (recorded.some((r) => r.tripNo === declared.tripNo && r.date === declared.date))
    return { result: 'matched', fields: [] };
  const gap = (r: RecordedEntry) => Math.abs(Date.parse(r.date) - Date.parse(declared.date));
  const nearest = [...recorded].sort((a, b) => gap(a) - gap(b))[0];
  const fields: ('tripNo' | 'date')[] = [];
  if (nearest?.tripNo !== declared.tripNo) fields.push('tripNo');
  if (nearest?.date !== declared.date) fields.push('date');
  return nearest ? { result: 'mismatch', fields, nearest } : { result: 'mismatch', fields };
}
