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

export type TripKind = 'train' | 'flight' | 'inbound_flight';

/** The positions (carriage, seat row) whose travellers are close contacts; undefined: the whole trip. */
export function contactRange(
  kind: TripKind,
  position: number,
  p: ExposureParameters,
): { min: number; max: number } | undefined {
  if (kind === 'train') return { min: position, max: position };
  if (kind === 'flight') return { min: position - p.flightRowSpan, max: position + p.flightRowSpan };
  return undefined;
}

/** The trip dates (YYYY-MM-DD, inclusive) that count for a case reported at `atMs`. */
export function tripWindow(atMs: number, p: ExposureParameters): { from: string; to: string } {
  return { from: shanghaiDate(atMs - p.windowDays * 86400_000), to: shanghaiDate(atMs) };
}
