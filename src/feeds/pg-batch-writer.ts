/**
 * The PostgreSQL batch writer: one connection, one transaction per batch, rows streamed in with COPY (text
 * format) as they are validated. Publishing inserts the batch's record and commits; a crash or a broken upload
 * rolls everything back. Manifest rows get their `seq` from the table's identity sequence, reserved a chunk at
 * a time, so the batch's rows can be bounded by [seq_from, seq_to].
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  BATCH_COLUMNS,
  insertColumns,
  type BatchRecord,
  type BatchTable,
  type BatchValue,
  type BatchWriter,
  type BatchWriterFactory,
} from './batch-writer.ts';

/** One value in COPY's text format. */
export function copyText(v: BatchValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

export class PgBatchWriterFactory implements BatchWriterFactory {
  constructor(private readonly pool: pg.Pool) {}

  async open(): Promise<BatchWriter> {
    return new PgBatchWriter(await this.pool.connect());
  }
}

class PgBatchWriter implements BatchWriter {
  private readonly pending = new Map<BatchTable, BatchValue[][]>();
  private begun = false;
  private done = false;
  private seqFrom: number | null = null;
  private seqTo: number | null = null;
  buffered = 0;

  constructor(private readonly client: pg.PoolClient) {}

  add(table: BatchTable, row: BatchValue[]): void {
    let rows = this.pending.get(table);
    if (!rows) this.pending.set(table, (rows = []));
    rows.push(row);
    this.buffered++;
  }

  private async begin(): Promise<void> {
    if (this.begun) return;
    await this.client.query('BEGIN');
    this.begun = true;
  }

  async flush(): Promise<void> {
    if (this.buffered === 0) return;
    await this.begin();
    for (const [table, rows] of this.pending) {
      if (rows.length === 0) continue;
      let columns = insertColumns(table);
      let seqs: number[] | undefined;
      if (table === 'manifests') {
        const r = await this.client.query<{ seq: string }>(
          `SELECT nextval(pg_get_serial_sequence('manifests', 'seq')) AS seq FROM generate_series(1, $1)`,
          [rows.length],
        );
        seqs = r.rows.map((x) => Number(x.seq));
        columns = `seq, ${columns}`;
        for (const s of seqs) {
          this.seqFrom = Math.min(this.seqFrom ?? s, s);
          this.seqTo = Math.max(this.seqTo ?? s, s);
        }
      }
      const width = BATCH_COLUMNS[table].length;
      await pipeline(
        Readable.from(
          (function* () {
            let text = '';
            for (let i = 0; i < rows.length; i++) {
              const row = rows[i] ?? [];
              if (row.length !== width) throw new Error(`a ${table} row has ${row.length} values`);
              text += `${seqs ? `${seqs[i] ?? ''}\t` : ''}${row.map(copyText).join('\t')}\n`;
              if (text.length >= 1 << 16) {
                yield text;
                text = '';
              }
            }
            if (text !== '') yield text;
          })(),
        ),
        this.client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)),
      );
    }
    this.pending.clear();
    this.buffered = 0;
  }

  async publish(batch: BatchRecord): Promise<void> {
    try {
      await this.flush();
      await this.begin();
      await this.client.query(
        `INSERT INTO feed_batches (source, batch_id, province, total, accepted, rejected, received_at,
           committed_at, processed_at, seq_from, seq_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10)`,
        [
          batch.source,
          batch.batchId,
          batch.province,
          batch.total,
          batch.accepted,
          batch.rejected,
          batch.receivedAt,
          batch.committedAt,
          this.seqFrom,
          this.seqTo,
        ],
      );
      await this.client.query('COMMIT');
      this.begun = false;
    } finally {
      await this.discard();
    }
  }

  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.pending.clear();
    this.buffered = 0;
    let broken: Error | undefined;
    if (this.begun) {
      await this.client.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
    }
    // A connection whose rollback failed is not given back to the pool.
    this.client.release(broken);
  }
}
