/** Table types of the audit log (migration 0016, see schema.ts for the conventions; docs/security.md#audit-log). */

/** One entry of the hash-chained audit log. */
export interface AuditLogTable {
  /** 1, 2, 3, … without gaps, given under the head's lock. */
  seq: number;
  at: number;
  /** Who acted: operator, province, department, proxy, registrar, checkpoint, command line… */
  actor_kind: string;
  /** Which one: an account id, a province's code, a department's id, a person's or staff member's id. */
  actor_ref: string;
  /** What they did, such as `access.status.consent` or `operator.create`. */
  action: string;
  /** On what or whom: a person's id, a batch, a key… */
  subject: string | null;
  /** A little more, as JSON; never personal data in clear. */
  detail: string | null;
  prev_hash: string;
  hash: string;
}

/** The chain's head (one row, id 1) and its base (the last entry retention removed). */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  base_seq: number;
  base_hash: string;
}
