/**
 * Reading published feed batches: a batch's report, its quarantined records (decrypted for whoever may see them;
 * the console masks them), the console's list and each source's last batch.
 */
import type { Actor } from '../access/actor.ts';
import { recordAct } from '../audit/audited.ts';
import type { Db } from '../db/database.ts';
import type { ErrorCode } from '../errors/registry.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import type { FeedSource } from './feed-records.domain.ts';
import type { BatchRow, FeedBatchesRepository } from './feed-batches.repository.ts';

export interface RejectedRecord {
  readonly line: number;
  readonly code: ErrorCode;
  readonly field: string;
}

export interface BatchReport {
  readonly source: FeedSource;
  readonly batchId: string;
  readonly province: string | null;
  /** True when this batch id had already been published: nothing changed. */
  readonly duplicate: boolean;
  readonly total: number;
  readonly accepted: number;
  readonly rejected: readonly RejectedRecord[];
  readonly receivedAt: string;
  readonly committedAt: string;
}

/** The associated data a quarantined record is encrypted with. */
export const quarantineAad = (source: string, batchId: string, line: number): string =>
  `feed_quarantine:${source}:${batchId}:${line}`;

export class FeedBatchesService {
  constructor(
    private readonly db: Db,
    private readonly batches: FeedBatchesRepository,
    private readonly cipher: FieldCipher,
  ) {}

  async report(source: FeedSource, batchId: string, duplicate = true): Promise<BatchReport | undefined> {
    const b = await this.batches.batch(this.db, source, batchId);
    if (!b) return undefined;
    const rejected = await this.batches.quarantine(this.db, source, batchId);
    return {
      source,
      batchId,
      province: b.province,
      duplicate,
      total: b.total,
      accepted: b.accepted,
      rejected: rejected.map((r) => ({ line: r.line, code: r.code as ErrorCode, field: r.field })),
      receivedAt: new Date(b.received_at).toISOString(),
      committedAt: new Date(b.committed_at).toISOString(),
    };
  }

  /**
   * A batch's quarantined records as sent; a page of them (lines after `afterLine`, at most `limit`) when asked.
   * Who read them is chained into the audit log first (docs/security.md#audit-log): a refused record was never
   * linked to a person, so the view is in no one's access history.
   */
  async quarantined(
    viewer: Actor,
    now: Date,
    source: FeedSource,
    batchId: string,
    page?: { readonly afterLine: number; readonly limit: number },
  ): Promise<(RejectedRecord & { record: string })[]> {
    const rows = await this.batches.quarantine(this.db, source, batchId, page);
    if (rows.length > 0)
      await recordAct(this.db, viewer, now, {
        action: 'feed.quarantine.read',
        subject: `${source}/${batchId}`,
        detail: { lines: rows.map((r) => r.line) },
      });
    return rows.map((r) => ({
      line: r.line,
      code: r.code as ErrorCode,
      field: r.field,
      record: this.cipher.decrypt(r.recordEnc, quarantineAad(source, batchId, r.line)),
    }));
  }

  batch(source: FeedSource, batchId: string): Promise<BatchRow | undefined> {
    return this.batches.batch(this.db, source, batchId);
  }

  /** Published batches, newest first, of one source and/or one province when given. */
  list(filter: { source?: FeedSource; province?: string }, limit: number): Promise<BatchRow[]> {
    return this.batches.list(this.db, filter, limit);
  }

  /** When each source last had a batch received. */
  lastBySource(): Promise<Map<string, number>> {
    return this.batches.lastBySource(this.db);
  }
}
