/**
 * Who counts as a co-travel close contact of a case (MISSION.md Q2.3, Q2.5). Pure; every number is a parameter.
 * - Trains: the same carriage.
 * - Domestic flights: within ±`flightRowSpan` seat rows.
 * - Inbound flights: the whole flight.
 * Trips count from `windowDays` days before the case was reported up to that day.
 */
import { shanghaiDate } from '../time/shanghai.ts';

export interface ExposureParameters {
  readonly windowDays: number;
  readonly flightRowSpan: number;
  /** Health statuses that make someone a case whose co-travellers are exposed. */
  readonly caseStatuses: readonly string[];
}

export const DEFAULT_EXPOSURE: ExposureParameters = {
  windowDays: 14,
  flightRowSpan: 3,
  caseStatuses: ['confirmed', 'suspected'],
};

export const TRIP_KINDS = ['train', 'flight', 'inbound_flight'] as const;
export type TripKind = (typeof TRIP_KINDS)[number];

/**
 * How far from a case's position (carriage, seat row) a traveller is a close contact; undefined: the whole
 * trip. The one statement of the proximity rule: the exposure engine's SQL is generated from it.
 */
export function positionSpan(kind: TripKind, p: ExposureParameters): number | undefined {
  if (kind === 'train') return 0;
  if (kind === 'flight') return p.flightRowSpan;
  return undefined;
}

/** The positions whose travellers are close contacts of a case at `position`; undefined: the whole trip. */
export function contactRange(
  kind: TripKind,
  position: number,
  p: ExposureParameters,
): { min: number; max: number } | undefined {
  const span = positionSpan(kind, p);
  return span === undefined ? undefined : { min: position - span, max: position + span };
}

/** The trip dates (YYYY-MM-DD, inclusive) that count for a case reported at `atMs`. */
export function tripWindow(atMs: number, p: ExposureParameters): { from: string; to: string } {
  return { from: shanghaiDate(atMs - p.windowDays * 86400_000), to: shanghaiDate(atMs) };
}

/** Every date from `from` to `to` (YYYY-MM-DD, inclusive). */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86400_000) {
    dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}
