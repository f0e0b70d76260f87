/**
 * The retention windows' configuration keys (docs/operations.md#retention), in `.env.example` order: each window in
 * days, no less than what the rules still read (RETENTION_MINIMUM_DAYS), and how often the hub purges.
 */
import { integer, type KeySpec } from './config-parsers.ts';
import {
  RETENTION_DEFAULT_DAYS as DAYS,
  RETENTION_MINIMUM_DAYS as MIN,
} from '../retention/retention.domain.ts';

export const RETENTION_KEYS = {
  RETENTION_HEALTH_DAYS: {
    doc: `Retention: days a health event is kept (from the event; a holder's newest is kept while it decides their status; ${MIN.healthDays} to 3650)`,
    parse: integer(MIN.healthDays, 3650, DAYS.healthDays),
  },
  RETENTION_TRAVEL_DAYS: {
    doc: `Retention: days railway and aviation manifests (and co-travel exposures) are kept, from the trip's date (${MIN.travelDays} to 3650)`,
    parse: integer(MIN.travelDays, 3650, DAYS.travelDays),
  },
  RETENTION_IMMIGRATION_DAYS: {
    doc: `Retention: days immigration records are kept, from the arrival's date (${MIN.immigrationDays} to 3650: a passport holder signs in with an arrival within 90 days)`,
    parse: integer(MIN.immigrationDays, 3650, DAYS.immigrationDays),
  },
  RETENTION_TELECOM_DAYS: {
    doc: `Retention: days telecom stays are kept, from the last sighting (${MIN.telecomDays} to 3650)`,
    parse: integer(MIN.telecomDays, 3650, DAYS.telecomDays),
  },
  RETENTION_CODES_DAYS: {
    doc: `Retention: days an issued code is kept after it expired, and a checkpoint look-up after it was made (${MIN.codesDays} to 3650)`,
    parse: integer(MIN.codesDays, 3650, DAYS.codesDays),
  },
  RETENTION_DECLARATION_VERSIONS_DAYS: {
    doc: `Retention: days a declaration's earlier version is kept after a modification replaced it (${MIN.declarationVersionsDays} to 3650; the current version is kept)`,
    parse: integer(MIN.declarationVersionsDays, 3650, DAYS.declarationVersionsDays),
  },
  RETENTION_TICKETS_DAYS: {
    doc: `Retention: days a closed ticket (with its events, attachments and notifications) is kept after closing (${MIN.ticketsDays} to 3650)`,
    parse: integer(MIN.ticketsDays, 3650, DAYS.ticketsDays),
  },
  RETENTION_ACCESS_HISTORY_DAYS: {
    doc: `Retention: days an access history entry is kept (${MIN.accessHistoryDays} to 3650)`,
    parse: integer(MIN.accessHistoryDays, 3650, DAYS.accessHistoryDays),
  },
  RETENTION_AUDIT_DAYS: {
    doc: `Retention: days an audit log entry is kept; the oldest go first and the chain's check starts after them (${MIN.auditDays} to 36500)`,
    parse: integer(MIN.auditDays, 36500, DAYS.auditDays),
  },
  RETENTION_INTERVAL_MINUTES: {
    doc: 'Retention: how often `yimatong serve` purges what is past its window (one process does); 0: never by itself, run `yimatong purge` instead',
    parse: integer(0, 1440, 60),
  },
} as const satisfies Record<string, KeySpec>;
