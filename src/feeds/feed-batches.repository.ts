/** Published feed batches (`feed_batches`) and their quarantined records (`feed_quarantine`). */
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { FeedBatchesTable } from '../db/schema.ts';
import type { FeedSource } from './feed-records.domain.ts';

export type BatchRow = Selectable<FeedBatchesTable>;

export interface QuarantineRow {
  readonly line: number;
  readonly code: string;
  readonly field: string;
  readonly recordEnc: string;
}

export class FeedBatchesRepository {
  async batch(db: Db, source: string, batchId: string): Promise<BatchRow | undefined> {
    return db
      .selectFrom('feed_batches')
      .selectAll()
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .executeTakeFirst();
  }

  async markProcessed(db: Db, source: string, batchId: string, nowMs: number): Promise<void> {
    await db
      .updateTable('feed_batches')
      .set({ processed_at: nowMs })
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .execute();
  }

  /** A batch's quarantined records, in line order; a page of them (lines after `afterLine`) when asked. */
  async quarantine(
    db: Db,
    source: string,
    batchId: string,
    page?: { readonly afterLine: number; readonly limit: number },
  ): Promise<QuarantineRow[]> {
    let q = db
      .selectFrom('feed_quarantine')
      .select(['line', 'code', 'field', 'record_enc'])
      .where('source', '=', source)
      .where('batch_id', '=', batchId);
    if (page) q = q.where('line', '>', page.afterLine).limit(page.limit);
    const rows = await q.orderBy('line').execute();
    return rows.map((r) => ({ line: r.line, code: r.code, field: r.field, recordEnc: r.record_enc }));
  }

  /** Published batches, newest first, of one source and/or one province when given. */
  async list(db: Db, filter: { source?: FeedSource; province?: string }, limit: number): Promise<BatchRow[]> {
    let q = db.selectFrom('feed_batches').selectAll();
    if (filter.source !== undefined) q = q.where('source', '=', filter.source);
    if (filter.province !== undefined) q = q.where('province', '=', filter.province);
    return q.orderBy('received_at', 'desc').orderBy('batch_id').limit(limit).execute();
  }

  /** When each source last had a batch received (sources that never sent are absent). */
  async lastBySource(db: Db): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('feed_batches')
      .select(['source', (eb) => eb.fn.max('received_at').as('last')])
      .groupBy('source')
      .execute();
    return new Map(rows.map((r) => [r.source, r.last]));
  }
}
