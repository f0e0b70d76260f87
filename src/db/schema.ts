/**
 * Table types of the Kysely query layer. Times are milliseconds since the epoch (SQLite INTEGER, PostgreSQL
 * BIGINT read back as a JavaScript number). Personal data lives only in the `*_enc` columns (AES-256-GCM) and
 * the `*_hash` columns (HMAC), never in clear.
 */
import type { Generated, Insertable, Selectable } from 'kysely';
import type { TripKind } from '../exposure/exposure.domain.ts';
import type {
  ProvincesEnrolledTable,
  IssuerKeysTable,
  FederationRevisionTable,
  PublishedRuleSetsTable,
  ProvinceStatusTable,
  ProvinceHoldersTable,
  LinkedCodesTable,
  ConsentsTable,
  TicketsTable,
  TicketEventsTable,
  TicketAttachmentsTable,
  HolderNotificationsTable,
  StatusDirtyTable,
  ExchangeStateTable,
  ExchangeOutboxTable,
  ExchangeCursorsTable,
  NationalStatusTable,
  SignInChallengesTable,
} from './schema-federation.ts';
import type { Correctable, RecordCorrectionsTable } from './schema-corrections.ts';
import type { AccessEventsTable, DependantsTable } from './schema-family.ts';
import type { CheckpointLookupsTable, FieldStaffTable, RegistrationsTable } from './schema-staff.ts';
import type { AuditHeadTable, AuditLogTable } from './schema-audit.ts';

export type * from './schema-federation.ts';
export type * from './schema-corrections.ts';
export type * from './schema-family.ts';
export type * from './schema-staff.ts';
export type * from './schema-audit.ts';

export interface PersonsTable {
  person_id: string;
  /** `registered`: a person a registrar recorded without a document (docs/registrars.md). */
  document_type: 'id_card' | 'passport' | 'registered';
  document_hash: string;
  name_hash: string;
  name_enc: string;
  document_number_enc: string;
  phone_enc: string | null;
  /** HMAC of the phone, to join telecom itineraries (migration 0002). */
  phone_hash: string | null;
  nationality: string;
  created_at: number;
  updated_at: number;
}

export interface DeclarationsTable {
  person_id: string;
  version: number;
  /** Asia/Shanghai date of a modification; null for the first fill. Unique per person: once a day (Q4). */
  modified_on: string | null;
  body_enc: string;
  created_at: number;
}

export interface StatusEntriesTable {
  entry_id: string;
  person_id: string;
  colour: 'green' | 'yellow' | 'red';
  reason_code: string;
  reason_text: string;
  reason_text_en: string;
  source: string;
  source_ref: string | null;
  valid_from: number;
  valid_until: number | null;
  created_at: number;
  /** The case status the entry's kind means (migration 0009; null: none). */
  case_status: string | null;
  /** Who created it and why (null for entries recorded before migration 0009). */
  created_by: string | null;
  reason: string | null;
  /** An operator's end: when, by whom, why (null while not ended). */
  ended_at: number | null;
  ended_by: string | null;
  end_reason: string | null;
}

export interface CodesTable {
  cti: string;
  person_id: string;
  issuer: string;
  kid: string;
  colour: 'green' | 'yellow' | 'red';
  token: string;
  issued_at: number;
  expires_at: number;
  /** Set when a correction withdrew the evidence behind its colour (migration 0011): the hub refuses it. */
  withdrawn_at: number | null;
}

export interface SessionsTable {
  token_hash: string;
  person_id: string;
  created_at: number;
  expires_at: number;
}

/** Where an evidence row came from. */
interface Provenance {
  province: string | null;
  batch_id: string;
  line: number;
}

export interface FeedBatchesTable {
  source: string;
  batch_id: string;
  province: string | null;
  total: number;
  accepted: number;
  rejected: number;
  received_at: number;
  committed_at: number;
  processed_at: number | null;
  /** The published batch's manifest rows lie within [seq_from, seq_to] (manifest sources only). */
  seq_from: number | null;
  seq_to: number | null;
  /** When the purge finished with the batch (migration 0017, docs/operations.md#retention); null until then. */
  retention_done_at: number | null;
}

/** A small integer per batch, carried by manifest rows instead of the batch id's text. */
export interface FeedBatchRefsTable {
  ref: Generated<number>;
  source: string;
  batch_id: string;
}

export interface HealthEventsTable extends Provenance, Correctable {
  doc_hash: string;
  status: string;
  at: number;
}

/** A train, flight or inbound flight on a date. */
export interface JourneysTable {
  id: Generated<number>;
  /** `T:<train>:<date>`, `F:<flight>:<date>` or `I:<flight>:<date>`. */
  trip_key: string;
  kind: TripKind;
  trip_date: string;
}

/** A traveller on a journey (railway, aviation and immigration feeds); provenance = batch_ref + line. */
export interface ManifestsTable extends Correctable {
  seq: Generated<number>;
  batch_ref: number;
  line: number;
  journey_id: number;
  trip_date: string;
  /** Carriage (trains), seat row (flights), 0 (inbound flights: the whole flight counts). */
  position: number;
  seat: string;
  port: string | null;
  /** The first 48 bits of doc_hash: the lookup key of a person's trips. */
  doc_key: number;
  doc_hash: string;
  /** An immigration record naming the traveller: the keyed hash of the name (migration 0015); null otherwise. */
  name_hash: string | null;
}

export interface TelecomStaysTable extends Provenance, Correctable {
  phone_hash: string;
  city_code: string;
  first_seen: number;
  last_seen: number;
}

export interface AreaRiskLevelsTable extends Provenance, Correctable {
  area_code: string;
  level: string;
  valid_from: number;
  valid_to: number;
  authority: string;
}

/** An area risk entry ended early by an operator (at or before its start: withdrawn). */
export interface AreaRiskEndsTable {
  batch_id: string;
  line: number;
  ends_at: number;
  ended_by: string;
  reason: string;
  recorded_at: number;
}

/** A status rule set version an operator published (src/risk/status-rule-sets.service.ts). */
export interface StatusRuleSetsTable {
  rule_set_id: string;
  version: string;
  valid_from: number;
  document: string;
  published_at: number;
  published_by: string;
}

export interface FeedQuarantineTable {
  source: string;
  batch_id: string;
  line: number;
  code: string;
  field: string;
  /** The record as received, encrypted: it may hold personal data. */
  record_enc: string;
}

export interface DepartmentsTable {
  department_id: string;
  name: string;
  source: string;
  /** The province whose department this is; null for a national department. */
  province: string | null;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
}

/** A trip a case travelled on: the seed of co-travel exposures. */
export interface CaseTripsTable {
  trip_key: string;
  kind: string;
  trip_date: string;
  position: number;
  case_doc_hash: string;
  case_batch_id: string;
  case_line: number;
}

/**
 * A co-travel exposure: the holder's own manifest row (its journey, date and provenance are that row's) and the
 * case event that caused it.
 */
export interface ExposuresTable {
  /** manifests.seq of the holder's row. */
  trip_seq: number;
  case_batch_id: string;
  case_line: number;
  doc_hash: string;
  found_at: number;
}

export interface StatusSnapshotsTable {
  person_id: string;
  colour: 'green' | 'yellow' | 'red';
  /** JSON array of reasons, each with its evidence record. */
  reasons: string;
  rule_set: string;
  /** 1 when the holder has a declaration. */
  declared: number;
  computed_at: number;
  expires_at: number;
  /** 1 when the other side's status was known (migration 0010; on a node: the hub's national status). */
  external_known: Generated<number>;
  /** When the other side computed what was used, if it says (on a node: the national status's time). */
  external_as_of: number | null;
}

/** How far the purge got for a kind it walks in order (migration 0017): declarations, the last date done. */
export interface RetentionCursorsTable {
  kind: string;
  position: string;
}

/** An operations console account (migration 0008): national operations staff or a provincial authority. */
export interface ConsoleAccountsTable {
  account_id: string;
  name: string;
  role: 'operator' | 'province';
  /** The provincial unit of a `province` account; null for an operator. */
  province: string | null;
  token_hash: string;
  created_at: number;
  disabled_at: number | null;
}

export interface Database {
  persons: PersonsTable;
  declarations: DeclarationsTable;
  status_entries: StatusEntriesTable;
  codes: CodesTable;
  sessions: SessionsTable;
  feed_batches: FeedBatchesTable;
  health_events: HealthEventsTable;
  feed_batch_refs: FeedBatchRefsTable;
  journeys: JourneysTable;
  manifests: ManifestsTable;
  telecom_stays: TelecomStaysTable;
  area_risk_levels: AreaRiskLevelsTable;
  area_risk_ends: AreaRiskEndsTable;
  status_rule_sets: StatusRuleSetsTable;
  feed_quarantine: FeedQuarantineTable;
  departments: DepartmentsTable;
  case_trips: CaseTripsTable;
  exposures: ExposuresTable;
  status_snapshots: StatusSnapshotsTable;
  provinces_enrolled: ProvincesEnrolledTable;
  issuer_keys: IssuerKeysTable;
  federation_revision: FederationRevisionTable;
  published_rule_sets: PublishedRuleSetsTable;
  province_status: ProvinceStatusTable;
  province_holders: ProvinceHoldersTable;
  linked_codes: LinkedCodesTable;
  consents: ConsentsTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  ticket_attachments: TicketAttachmentsTable;
  holder_notifications: HolderNotificationsTable;
  status_dirty: StatusDirtyTable;
  exchange_state: ExchangeStateTable;
  exchange_outbox: ExchangeOutboxTable;
  exchange_cursors: ExchangeCursorsTable;
  national_status: NationalStatusTable;
  sign_in_challenges: SignInChallengesTable;
  console_accounts: ConsoleAccountsTable;
  record_corrections: RecordCorrectionsTable;
  dependants: DependantsTable;
  access_events: AccessEventsTable;
  field_staff: FieldStaffTable;
  registrations: RegistrationsTable;
  checkpoint_lookups: CheckpointLookupsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  retention_cursors: RetentionCursorsTable;
}

export type PersonRow = Selectable<PersonsTable>;
export type NewPerson = Insertable<PersonsTable>;
export type StatusEntryRow = Selectable<StatusEntriesTable>;
export type CodeRow = Selectable<CodesTable>;
