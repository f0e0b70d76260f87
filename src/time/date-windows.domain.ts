/**
 * Plausible-date windows, one per kind of date that comes from outside (docs/api.md#date-windows): how far before
 * and after the clock's present a date of that field may lie. A date outside is not a typing error the calendar
 * catches (0001-01-01 and 2099-12-31 are real days) but a record that cannot be true: refused with
 * YMT_ERR_DATE_IMPLAUSIBLE at the field. Pure: the present is a parameter.
 */

const DAY_MS = 86_400_000;

export interface DateWindow {
  /** Days before the present a date may lie. */
  readonly pastDays: number;
  /** Days after the present a date may lie. */
  readonly futureDays: number;
}

export const DATE_WINDOWS = {
  /** A health finding's time (a test result, a case status, its clearance): three years back at most. */
  healthEvent: { pastDays: 3 * 366, futureDays: 1 },
  /** The day of a train or flight in a manifest (inbound flights too): a year back, three days ahead. */
  tripDate: { pastDays: 366, futureDays: 3 },
  /** A telecom stay's first and last sighting: a year back; a batch is never ahead of the present by a day. */
  telecomStay: { pastDays: 366, futureDays: 1 },
  /** An area risk level's validity: started up to a year ago, or to come within a year; it ends within two. */
  areaRiskFrom: { pastDays: 366, futureDays: 366 },
  areaRiskTo: { pastDays: 366, futureDays: 2 * 366 },
  /** When a province says a holder's status changed: a year back, a day of clock skew ahead. */
  statusChange: { pastDays: 366, futureDays: 1 },
  /** Until when an operator's status entry holds: within a year. */
  statusEntryUntil: { pastDays: 0, futureDays: 366 },
} as const satisfies Record<string, DateWindow>;

export type DateWindowName = keyof typeof DATE_WINDOWS;

/** Whether an instant (ms since the epoch) lies in its field's window around `now`. */
export function instantInWindow(ms: number, window: DateWindowName, now: number): boolean {
  const w = DATE_WINDOWS[window];
  return ms >= now - w.pastDays * DAY_MS && ms <= now + w.futureDays * DAY_MS;
}

/**
 * Whether a calendar day (YYYY-MM-DD) lies in its field's window around `today` (YYYY-MM-DD, the same calendar):
 * compared day by day, so a trip today is in whatever hour it is.
 */
export function dayInWindow(day: string, window: DateWindowName, today: string): boolean {
  const w = DATE_WINDOWS[window];
  const d = Date.parse(`${day}T00:00:00Z`);
  const t = Date.parse(`${today}T00:00:00Z`);
  return (
    !Number.isNaN(d) && !Number.isNaN(t) && d >= t - w.pastDays * DAY_MS && d <= t + w.futureDays * DAY_MS
  );
}
