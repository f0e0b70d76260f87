/**
 * Calendar checks by arithmetic (no Date objects: feeds check millions of dates). Pure; proleptic Gregorian.
 */

/** Whether year-month-day names a real day. */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  if (m === 2) return d <= ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28);
  return d <= (m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `v` is YYYY-MM-DD and a real day. */
export function isIsoDate(v: string): boolean {
  const m = ISO_DATE.exec(v);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

const ZONED_INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 date-time with an explicit zone (`Z` or `±hh:mm`) on a real calendar day, as milliseconds since
 * the epoch; undefined for anything else (no zone, a 30 February, not a time at all).
 */
export function zonedInstant(v: string): number | undefined {
  const m = ZONED_INSTANT.exec(v);
  const ms = Date.parse(v);
  return m?.[1] !== undefined && !Number.isNaN(ms) && isIsoDate(m[1]) ? ms : undefined;
}

/** A calendar date (YYYY-MM-DD) moved by whole days. */
export function shiftDate(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
