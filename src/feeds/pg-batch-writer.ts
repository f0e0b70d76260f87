/**
 * The PostgreSQL batch writer: one connection, one transaction per batch, rows streamed in with COPY (text
 * format) as they are validated. Publishing inserts the batch's record and commits; a crash or a broken upload
 * rolls everything back. A COPY stays open while rows of the same table keep coming (a batch is one table and
 * its quarantine, so a clean batch is one COPY). Manifest rows take their `seq` from the table's identity
 * sequence; a value drawn before their first COPY and one drawn after their last bound them, so the batch's
 * rows lie within [seq_from, seq_to] whatever other batches do meanwhile.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { auditSql, chainedAfter, insertValues } from '../audit/audit-log.repository.ts';
import {
  BATCH_COLUMNS,
  batchAuditFacts,
  BufferedBatchWriter,
  feedBatchRow,
  insertColumns,
  type BatchRecord,
  type BatchTable,
  type BatchValue,
  type BatchWriter,
  type BatchWriterFactory,
} from './batch-writer.ts';

const SPECIAL = /[\\\t\n\r]/;
const AUDIT = auditSql('postgres');

/** One value in COPY's text format. */
export function copyText(v: BatchValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  if (!SPECIAL.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** One row in COPY's text format, with its newline. */
export function copyLine(row: readonly BatchValue[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + copyText(row[i] ?? null);
  return `${line}\n`;
}

/**
 * Opens writers, each on a pooled connection of its own for the length of its batch. At most `limit` at once
 * (two connections fewer than the pool holds), so that batches being received never take every connection: the
 * hub's other queries — journeys a batch names among them — always find one. Further uploads wait their turn.
 */
export class PgBatchWriterFactory implements BatchWriterFactory {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly limit: number;

  constructor(
    private readonly pool: pg.Pool,
    poolSize: number,
  ) {
    this.limit = Math.max(1, poolSize - 2);
  }

  async open(): Promise<BatchWriter> {
    while (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return new PgBatchWriter(await this.pool.connect(), () => {
        this.active--;
        this.waiting.shift()?.();
      });
    } catch (e) {
      this.active--;
      this.waiting.shift()?.();
      throw e;
    }
  }
}

class PgBatchWriter extends BufferedBatchWriter {
  private begun = false;
  private copy: { table: BatchTable; stream: Writable; done: Promise<void> } | undefined;
  private done = false;
  private seqFrom: number | null = null;
  private seqTo: number | null = null;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly onRelease: () => void,
  ) {
    super();
  }

  private async begin(): Promise<void> {
    if (this.begun) return;
    await this.client.query('BEGIN');
    this.begun = true;
  }

  /** Writes COPY text to the open COPY of `table`, ending another table's first. */
  private async write(table: BatchTable, text: string): Promise<void> {
    if (this.copy?.table !== table) {
      await this.endCopy();
      if (table === 'manifests' && this.seqFrom === null) this.seqFrom = await this.nextSeq();
      const { from: copyFrom } = await import('pg-copy-streams');
      const stream = this.client.query(copyFrom(`COPY ${table} (${insertColumns(table)}) FROM STDIN`));
      const done = finished(stream);
      // Handled here, awaited later: a COPY the server refuses must not surface as an unhandled rejection.
      done.catch(() => undefined);
      this.copy = { table, stream, done };
    }
    const { stream, done } = this.copy;
    if (stream.destroyed) await done;
    // Waits for the server to catch up; a refused COPY ends the wait with its error.
    if (!stream.write(text)) await Promise.race([once(stream, 'drain'), done]);
  }

  private async endCopy(): Promise<void> {
    const copy = this.copy;
    if (!copy) return;
    this.copy = undefined;
    copy.stream.end();
    await copy.done;
  }

  private async nextSeq(): Promise<number> {
    const r = await this.client.query<{ seq: string }>(
      `SELECT nextval(pg_get_serial_sequence('manifests', 'seq')) AS seq`,
    );
    return Number(r.rows[0]?.seq);
  }

  async flush(): Promise<void> {
    if (this.buffered === 0) return;
    await this.begin();
    for (const [table, rows] of this.take()) {
      const width = BATCH_COLUMNS[table].length;
      let text = '';
      for (const row of rows) {
        if (row.length !== width) throw new Error(`a ${table} row has ${row.length} values`);
        text += copyLine(row);
        if (text.length >= 1 << 16) {
          await this.write(table, text);
          text = '';
        }
      }
      if (text !== '') await this.write(table, text);
    }
  }

  async publish(batch: BatchRecord): Promise<void> {
    try {
      await this.flush();
      await this.endCopy();
      if (this.seqFrom !== null) this.seqTo = await this.nextSeq();
      await this.begin();
      const row = feedBatchRow(batch, this.seqFrom, this.seqTo);
      await this.client.query(
        `INSERT INTO feed_batches (${row.columns}) VALUES (${row.values.map((_, i) => `$${i + 1}`).join(', ')})`,
        row.values,
      );
      // Last before COMMIT: the chain's head stays locked for as short a time as it can.
      const head = await this.client.query<{ seq: number | string; hash: string }>(AUDIT.head);
      const at = head.rows[0];
      if (!at) throw new Error('the audit log has no head');
      const entry = chainedAfter({ seq: Number(at.seq), hash: at.hash }, batchAuditFacts(batch));
      await this.client.query(AUDIT.insert, insertValues(entry));
      await this.client.query(AUDIT.moveHead, [entry.seq, entry.hash]);
      await this.client.query('COMMIT');
      this.begun = false;
    } finally {
      await this.discard();
    }
  }

  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.take();
    let broken: Error | undefined;
    const copy = this.copy;
    this.copy = undefined;
    if (copy) {
      // An unfinished COPY is abandoned: the connection cannot be trusted with another query.
      copy.stream.destroy();
      await copy.done.catch(() => undefined);
      broken = new Error('COPY abandoned');
    }
    if (this.begun && !broken) {
      await this.client.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
    }
    // A connection whose rollback failed is not given back to the pool.
    this.client.release(broken);
    this.onRelease();
  }
}
