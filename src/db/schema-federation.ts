/**
 * Table types of the federation (see schema.ts for the conventions): provinces enrolled at the hub, their keys,
 * rule sets and holders, linked codes and consents, non-recognition tickets, and the status exchange between the
 * hub and the nodes (src/exchange) with the sign-in challenges that decide whom a province speaks for.
 */
import type { Generated } from 'kysely';

/** A province enrolled at the hub: its root and access public keys (JWK JSON) and where its node listens. */
export interface ProvincesEnrolledTable {
  code: string;
  root_jwk: string;
  root_kid: string;
  access_jwk: string;
  node_url: string | null;
  enrolled_at: number;
  updated_at: number;
}

/** A provincial code-signing key, certified by the province's root (the certificate is kept as uploaded). */
export interface IssuerKeysTable {
  kid: string;
  iss: string;
  public_jwk: string;
  not_before: number;
  not_after: number;
  certificate: string;
  uploaded_at: number;
  revoked_at: number | null;
  revoke_reason: string | null;
}

export interface FederationRevisionTable {
  id: number;
  revision: number;
}

export interface PublishedRuleSetsTable {
  rule_set_id: string;
  version: string;
  province: string;
  valid_from: number;
  document: string;
  published_at: number;
}

export interface ProvinceStatusTable {
  province: string;
  doc_hash: string;
  colour: 'green' | 'yellow' | 'red';
  reason_code: string;
  reason_text: string;
  reason_text_en: string;
  delta_id: number;
  changed_at: number;
  received_at: number;
}

export interface ProvinceHoldersTable {
  province: string;
  doc_hash: string;
  first_seen: number;
}

export interface LinkedCodesTable {
  person_id: string;
  province: string;
  linked_at: number;
}

export interface ConsentsTable {
  token_hash: string;
  person_id: string;
  /** The province whose node may use it. */
  audience: string;
  created_at: number;
  expires_at: number;
}

export interface TicketsTable {
  ticket_id: string;
  /** `correction` (我要纠错) or `non-recognition`. */
  kind: string;
  person_id: string;
  /** The provincial unit whose part it is (a non-recognition report's place; '' when none). */
  province: string;
  region: string;
  /** Encrypted JSON of what the holder reported. */
  details_enc: string;
  /** src/corrections/corrections.domain.ts STATES (migration 0012). */
  state: 'submitted' | 'routed' | 'in_review' | 'accepted' | 'rejected' | 'closed';
  /** Who answers: `department:<source>[:<province>]`, `province:<code>` or `operators`. */
  owner: string;
  answer: string | null;
  reopen_count: number;
  /** When the current stage is due (null: no deadline). */
  due_at: number | null;
  escalated_at: number | null;
  first_answer_at: number | null;
  resolved_at: number | null;
  /** A correction's disputed record (`source|batch|record`). */
  evidence_key: string | null;
  created_at: number;
  updated_at: number;
}

/** Every transition of a ticket (migration 0012). */
export interface TicketEventsTable {
  id: Generated<number>;
  ticket_id: string;
  at: number;
  actor: string;
  from_state: string | null;
  to_state: string;
  /** Encrypted: why (an answer, new information, an escalation). */
  reason_enc: string | null;
}

/** A holder's attachment to a correction, encrypted (migration 0012). */
export interface TicketAttachmentsTable {
  ticket_id: string;
  n: number;
  content_type: string;
  size: number;
  data_enc: string;
  created_at: number;
}

/** A change of a holder's ticket waiting for a channel to tell them (migration 0012). */
export interface HolderNotificationsTable {
  id: Generated<number>;
  person_id: string;
  ticket_id: string;
  state: string;
  created_at: number;
  delivered_at: number | null;
  channel: string | null;
}

/** Holders whose evidence changed since their status was last exchanged (migration 0010). */
export interface StatusDirtyTable {
  person_id: string;
  mark: string;
}

/** What a peer (`hub`, or a province's code) was last sent about a holder (migration 0010). */
export interface ExchangeStateTable {
  peer: string;
  person_id: string;
  colour: 'green' | 'yellow' | 'red';
  signature: string;
  outbox_id: number;
  reviewed_at: number;
}

/** Status changes queued for a peer, ids increasing (migration 0010; the node's `status_outbox` before). */
export interface ExchangeOutboxTable {
  id: Generated<number>;
  peer: string;
  person_id: string;
  colour: 'green' | 'yellow' | 'red';
  /** JSON: the reasons, each with its colour, texts and evidence record. */
  reasons: string;
  /** JSON: the case status the reasons carry, when the sender says (the hub does). */
  case_status: string | null;
  changed_at: number;
}

export interface ExchangeCursorsTable {
  peer: string;
  acked_id: number;
}

/** Provincial node: the national status the hub last sent for a holder (migration 0010). */
export interface NationalStatusTable {
  person_id: string;
  delta_id: number;
  colour: 'green' | 'yellow' | 'red';
  reasons: string;
  /** JSON: the case status the hub's findings carry (null: not said). */
  case_status: string | null;
  as_of: number;
  received_at: number;
}

/** Hub: a code sent to a holder signing in at a province's node, to confirm it is them (migration 0010). */
export interface SignInChallengesTable {
  challenge_id: string;
  province: string;
  doc_hash: string;
  code_hash: string;
  attempts: number;
  created_at: number;
  expires_at: number;
  confirmed_at: number | null;
}
