/**
 * Table types of the Kysely query layer. Times are milliseconds since the epoch (SQLite INTEGER, PostgreSQL
 * BIGINT read back as a JavaScript number). Personal data lives only in the `*_enc` columns (AES-256-GCM) and
 * the `*_hash` columns (HMAC), never in clear.
 */
import type { Insertable, Selectable } from 'kysely';

export interface PersonsTable {
  person_id: string;
  document_type: 'id_card' | 'passport';
  document_hash: string;
  name_hash: string;
  name_enc: string;
  document_number_enc: string;
  phone_enc: string | null;
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
}

export interface SessionsTable {
  token_hash: string;
  person_id: string;
  created_at: number;
  expires_at: number;
}

export interface Database {
  persons: PersonsTable;
  declarations: DeclarationsTable;
  status_entries: StatusEntriesTable;
  codes: CodesTable;
  sessions: SessionsTable;
}

export type PersonRow = Selectable<PersonsTable>;
export type NewPerson = Insertable<PersonsTable>;
export type StatusEntryRow = Selectable<StatusEntriesTable>;
export type CodeRow = Selectable<CodesTable>;
