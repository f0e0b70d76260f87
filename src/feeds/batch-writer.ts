/**
 * Where a batch's rows go between validation and publication (docs/performance.md). The evidence tables never
 * hold part of a batch: rows are written aside — a spool file on SQLite, an open COPY transaction on
 * PostgreSQL — and published with the batch's record in one step. A crash before that leaves nothing
 * visible; re-sending the batch starts again. The same step chains the batch's entry in the audit log.
 */
import type { AuditActor, AuditFacts } from '../audit/audit-chain.ts';

/** The tables a batch writes, and their columns in the order rows are given. */
export const BATCH_COLUMNS = {
  health_events: ['province', 'batch_id', 'line', 'doc_hash', 'status', 'at'],
  manifests: [
    'batch_ref',
    'line',
    'journey_id',
    'trip_date',
    'position',
    'seat',
    'port',
    'doc_key',
    'doc_hash',
    'name_hash',
  ],
  telecom_stays: ['province', 'batch_id', 'line', 'phone_hash', 'city_code', 'first_seen', 'last_seen'],
  area_risk_levels: [
    'province',
    'batch_id',
    'line',
    'area_code',
    'level',
    'valid_from',
    'valid_to',
    'authority',
  ],
  feed_quarantine: ['source', 'batch_id', 'line', 'code', 'field', 'record_enc'],
} as const;

export type BatchTable = keyof typeof BATCH_COLUMNS;
export type BatchValue = string | number | null;

/** The batch's own record (`feed_batches`), written in the publishing transaction. */
export interface BatchRecord {
  readonly source: string;
  readonly batchId: string;
  readonly province: string | null;
  readonly total: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly receivedAt: number;
  readonly committedAt: number;
  /** Who sent it: the audit log's entry for the batch names them (docs/security.md#audit-log). */
  readonly by: AuditActor;
}

/** The audit log's entry for a published batch, chained in the publishing transaction. */
export function batchAuditFacts(batch: BatchRecord): AuditFacts {
  return {
    at: batch.committedAt,
    ...batch.by,
    action: 'feed.batch.publish',
    subject: `${batch.source}/${batch.batchId}`,
    detail: JSON.stringify({
      province: batch.province,
      total: batch.total,
      accepted: batch.accepted,
      rejected: batch.rejected,
    }),
  };
}

/** The batch's row in `feed_batches`, as the publishing transaction writes it (not yet processed). */
export function feedBatchRow(
  batch: BatchRecord,
  seqFrom: number | null,
  seqTo: number | null,
): { columns: string; values: BatchValue[] } {
  return {
    columns:
      'source, batch_id, province, total, accepted, rejected, received_at, committed_at, processed_at, seq_from, seq_to',
    values: [
      batch.source,
      batch.batchId,
      batch.province,
      batch.total,
      batch.accepted,
      batch.rejected,
      batch.receivedAt,
      batch.committedAt,
      null,
      seqFrom,
      seqTo,
    ],
  };
}

export interface BatchWriter {
  /** Buffers a row (values in BATCH_COLUMNS order). */
  add(table: BatchTable, row: BatchValue[]): void;
  /** Rows buffered since the last flush. */
  readonly buffered: number;
  /** Writes the buffered rows aside. */
  flush(): Promise<void>;
  /**
   * Publishes everything written with the batch's record, atomically. Throws a unique violation when the same
   * batch was published meanwhile (nothing of this attempt is then visible).
   */
  publish(batch: BatchRecord): Promise<void>;
  /** Drops everything written; safe to call after publish or twice. */
  discard(): Promise<void>;
}

export interface BatchWriterFactory {
  open(): Promise<BatchWriter>;
}

export function insertColumns(table: BatchTable): string {
  return BATCH_COLUMNS[table].join(', ');
}

/** What every writer shares: rows buffered per table between two flushes. */
export abstract class BufferedBatchWriter implements BatchWriter {
  private rows = new Map<BatchTable, BatchValue[][]>();
  private count = 0;

  get buffered(): number {
    return this.count;
  }

  add(table: BatchTable, row: BatchValue[]): void {
    let rows = this.rows.get(table);
    if (!rows) this.rows.set(table, (rows = []));
    rows.push(row);
    this.count++;
  }

  /** Hands the buffered rows over, table by table, and empties the buffer. */
  protected take(): ReadonlyMap<BatchTable, BatchValue[][]> {
    const rows = this.rows;
    this.rows = new Map();
    this.count = 0;
    return rows;
  }

  abstract flush(): Promise<void>;
  abstract publish(batch: BatchRecord): Promise<void>;
  abstract discard(): Promise<void>;
}
