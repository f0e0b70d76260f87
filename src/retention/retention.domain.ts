/**
 * Data that expires (issue 17, docs/operations.md#retention): how long each kind of personal data is kept, and the
 * cut-offs a purge at a given instant works to. Pure: the caller passes the time.
 *
 * Every window is counted in days. Feed evidence is kept for the status rules' look-back (the baseline's 14-day
 * window, MISSION.md Q2.3/Q2.4/Q2.7) plus a margin; immigration records longer, because a foreign passport holder
 * signs in with an arrival recorded within 90 days (src/identity/identity-provider.ts). The minimums below are what
 * those rules need: configuration cannot go under them (test/retention/retention.domain.test.ts ties them to the
 * rules' own constants).
 */
import { shanghaiDate } from '../time/shanghai.ts';

const DAY_MS = 86_400_000;

/** What the purge removes, one name per kind (the CLI's report and the metrics' `kind` label). */
export const RETENTION_KINDS = [
  'health',
  'railway',
  'aviation',
  'immigration',
  'telecom',
  'status_entries',
  'codes',
  'declarations',
  'sessions',
  'consents',
  'sign_in_challenges',
  'tickets',
  'access_history',
  'checkpoint_lookups',
  'audit',
  'exchange_outbox',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** The configured windows, in days (RETENTION_*_DAYS, src/config/config.ts). */
export interface RetentionWindows {
  /**
   * Health events (and the trips of cases they seed), from the event; status entries an operator recorded, from
   * their end.
   */
  readonly healthDays: number;
  /** Railway and aviation manifests (and the co-travel exposures on them), from the trip's date. */
  readonly travelDays: number;
  /** Immigration manifests, from the arrival's date. */
  readonly immigrationDays: number;
  /** Telecom stays, from the stay's last sighting. */
  readonly telecomDays: number;
  /** Issued codes, from their expiry; checkpoint look-ups (the scans the hub keeps), from the look-up. */
  readonly codesDays: number;
  /** A declaration's earlier versions, from the day a later version replaced them. */
  readonly declarationVersionsDays: number;
  /** Closed tickets (corrections, non-recognition reports) with their events, attachments and notifications. */
  readonly ticketsDays: number;
  /** A person's access history (who looked at their data), from when they looked. */
  readonly accessHistoryDays: number;
  /** The audit log, oldest entries first, from when they were written (the chain's base moves past them). */
  readonly auditDays: number;
}

/** The rules' look-back (the baseline's `windowDays`) plus the day a trip's date may straddle. */
const LOOK_BACK_DAYS = 14 + 1;

/** The least each window may be set to: what the status rules and the sign-in still read. */
export const RETENTION_MINIMUM_DAYS: Readonly<Record<keyof RetentionWindows, number>> = {
  healthDays: LOOK_BACK_DAYS,
  travelDays: LOOK_BACK_DAYS,
  // A foreign passport holder's sign-in reads arrivals within 90 days (IMMIGRATION_IDENTITY_DAYS); the entry check
  // 30 days back.
  immigrationDays: 90 + 1,
  telecomDays: LOOK_BACK_DAYS,
  codesDays: 1,
  declarationVersionsDays: LOOK_BACK_DAYS,
  // Longer than a decided ticket's closing window (CORRECTION_CLOSE_DAYS) can matter to a reopening.
  ticketsDays: 30,
  // Longer than anything it tells the holder about: the evidence and tickets others looked at.
  accessHistoryDays: 30,
  // The Cybersecurity Law (art. 21) asks network logs to be kept at least six months.
  auditDays: 180,
};

/** The defaults: the look-back plus a margin of as much again for disputes (docs/operations.md#retention). */
export const RETENTION_DEFAULT_DAYS: Readonly<Record<keyof RetentionWindows, number>> = {
  healthDays: 28,
  travelDays: 28,
  immigrationDays: 97,
  telecomDays: 28,
  codesDays: 21,
  declarationVersionsDays: 28,
  ticketsDays: 180,
  accessHistoryDays: 365,
  auditDays: 1095,
};

/** The feed sources whose evidence expires, and the window of each; `area-risk` is public data and is kept. */
export const FEED_WINDOWS = {
  health: 'healthDays',
  railway: 'travelDays',
  aviation: 'travelDays',
  immigration: 'immigrationDays',
  telecom: 'telecomDays',
} as const satisfies Partial<Record<RetentionKind, keyof RetentionWindows>>;
export type ExpiringSource = keyof typeof FEED_WINDOWS;
export const EXPIRING_SOURCES = Object.keys(FEED_WINDOWS) as ExpiringSource[];

/** A cut-off: what happened before `ms` (or is dated before the Asia/Shanghai `date`) is past its window. */
export interface Cutoff {
  readonly ms: number;
  readonly date: string;
}

export function cutoff(nowMs: number, days: number): Cutoff {
  const ms = nowMs - days * DAY_MS;
  return { ms, date: shanghaiDate(ms) };
}

/** The cut-offs of a purge at `now`. */
export interface Cutoffs {
  readonly feeds: Readonly<Record<ExpiringSource, Cutoff>>;
  readonly codes: Cutoff;
  readonly declarations: Cutoff;
  readonly tickets: Cutoff;
  readonly accessHistory: Cutoff;
  readonly audit: Cutoff;
  /** Sessions and consents go once expired. */
  readonly expired: Cutoff;
  /** Sign-in challenges a day after expiry: the hourly limit on codes sent counts them. */
  readonly challenges: Cutoff;
}

export function cutoffs(windows: RetentionWindows, now: Date): Cutoffs {
  const at = now.getTime();
  const feeds = Object.fromEntries(
    EXPIRING_SOURCES.map((s) => [s, cutoff(at, windows[FEED_WINDOWS[s]])]),
  ) as Record<ExpiringSource, Cutoff>;
  return {
    feeds,
    codes: cutoff(at, windows.codesDays),
    declarations: cutoff(at, windows.declarationVersionsDays),
    tickets: cutoff(at, windows.ticketsDays),
    accessHistory: cutoff(at, windows.accessHistoryDays),
    audit: cutoff(at, windows.auditDays),
    expired: cutoff(at, 0),
    challenges: cutoff(at, 1),
  };
}

/** What one purge removed (or, dry, would remove), per kind. */
export type PurgeReport = Record<RetentionKind, number>;

export function emptyReport(): PurgeReport {
  return Object.fromEntries(RETENTION_KINDS.map((k) => [k, 0])) as PurgeReport;
}
