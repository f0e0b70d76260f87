/**
 * Table types of corrected feed records (migration 0011, see schema.ts for the conventions): each owner's
 * accepted correction of one record (src/corrections/record-corrections.service.ts), and the mark the evidence
 * tables carry beside the original row.
 */

/** The mark on an evidence row (health_events, manifests, telecom_stays, area_risk_levels). */
export interface Correctable {
  /** When the row was corrected (retracted or amended): it is no longer evidence. Null while it is. */
  corrected_at: number | null;
}

/** One correction of one feed record, at most one per record. */
export interface RecordCorrectionsTable {
  correction_id: string;
  /** The record corrected: its source, batch and line (the provenance every reason names). */
  source: string;
  batch_id: string;
  line: number;
  action: 'retract' | 'amend';
  /** An amendment's replacement batch: one record, same source and sending province as the original. */
  replacement_batch_id: string | null;
  /** A keyed hash of the replacement's fields (an interrupted amendment is finished only with the same ones). */
  replacement_hash: string | null;
  /** The ticket whose acceptance this is (null when the owner corrected without one). */
  ticket_id: string | null;
  decided_by: string;
  reason: string;
  decided_at: number;
}
