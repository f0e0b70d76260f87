/**
 * Ingesting a department batch (MISSION.md Q1.2). Every record is validated; bad ones are quarantined with
 * their line and reason, good ones become evidence with their provenance. The batch streams into staging
 * tables in small transactions and is published in one transaction at the end, so a crash or a broken upload
 * leaves nothing published, and re-sending the batch completes it. A batch id is idempotent: re-sending a
 * published batch changes nothing and returns its report.
 */
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { ErrorCode } from '../errors/registry.ts';
import { documentKey } from '../identity/document.rules.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { parseFeedRecord, type FeedRecord, type FeedSource } from './feed-records.rules.ts';
import { readFeed, type FeedFormat } from './feed-reader.ts';

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

export interface IngestOptions {
  readonly source: FeedSource;
  readonly format: FeedFormat;
  readonly batchId: string;
  /** The sending province (GB/T 2260 code), or null for a national department. */
  readonly province: string | null;
  readonly now: Date;
  readonly onProgress?: (records: number) => void;
}

export const BATCH_ID = /^[A-Za-z0-9._-]{1,128}$/;
const CHUNK = 1000;

type EvidenceTable = 'health_events' | 'trips' | 'telecom_stays' | 'area_risk_levels';
const TABLE: Record<FeedSource, EvidenceTable> = {
  health: 'health_events',
  immigration: 'trips',
  aviation: 'trips',
  railway: 'trips',
  telecom: 'telecom_stays',
  'area-risk': 'area_risk_levels',
};
const STAGING = {
  health_events: 'health_events_staging',
  trips: 'trips_staging',
  telecom_stays: 'telecom_stays_staging',
  area_risk_levels: 'area_risk_levels_staging',
} as const;

type Row = Record<string, string | number | null>;

export class IngestService {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
    private readonly clock: () => Date,
    /** Runs once per published batch (the exposure engine); must be idempotent. */
    private readonly afterPublish: (source: FeedSource, batchId: string) => Promise<unknown> = () =>
      Promise.resolve(),
  ) {}

  /** Processes a published batch's evidence unless already done (a crash between the two is finished here). */
  private async process(source: FeedSource, batchId: string): Promise<void> {
    const b = await this.db
      .selectFrom('feed_batches')
      .select('processed_at')
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .executeTakeFirst();
    if (!b || b.processed_at !== null) return;
    await this.afterPublish(source, batchId);
    await this.db
      .updateTable('feed_batches')
      .set({ processed_at: this.clock().getTime() })
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .execute();
  }

  private docHash(doc: Parameters<typeof documentKey>[0]): string {
    return this.cipher.index('doc', documentKey(doc));
  }

  /** The evidence row of a record, provenance included. */
  private row(r: FeedRecord, opts: IngestOptions, line: number): Row {
    const p = { province: opts.province, batch_id: opts.batchId, line };
    switch (r.source) {
      case 'health':
        return { ...p, doc_hash: this.docHash(r.doc), status: r.status, at: r.at };
      case 'railway':
        return {
          ...p,
          source: r.source,
          kind: 'train',
          trip_key: `T:${r.trainNo}:${r.date}`,
          trip_date: r.date,
          position: r.carriage,
          seat: r.seat,
          port: null,
          doc_hash: this.docHash(r.doc),
        };
      case 'aviation':
        return {
          ...p,
          source: r.source,
          kind: 'flight',
          trip_key: `F:${r.flightNo}:${r.date}`,
          trip_date: r.date,
          position: r.row,
          seat: r.seat,
          port: null,
          doc_hash: this.docHash(r.doc),
        };
      case 'immigration':
        return {
          ...p,
          source: r.source,
          kind: 'inbound_flight',
          trip_key: `I:${r.flightNo}:${r.date}`,
          trip_date: r.date,
          position: 0,
          seat: '',
          port: r.port,
          doc_hash: this.docHash(r.doc),
        };
      case 'telecom':
        return {
          ...p,
          phone_hash: this.cipher.index('phone', r.phone),
          city_code: r.cityCode,
          first_seen: r.firstSeen,
          last_seen: r.lastSeen,
        };
      case 'area-risk':
        return {
          ...p,
          area_code: r.areaCode,
          level: r.level,
          valid_from: r.from,
          valid_to: r.to,
          authority: r.authority,
        };
    }
  }

  async report(source: FeedSource, batchId: string, duplicate = true): Promise<BatchReport | undefined> {
    const b = await this.db
      .selectFrom('feed_batches')
      .selectAll()
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .executeTakeFirst();
    if (!b) return undefined;
    const rejected = await this.db
      .selectFrom('feed_quarantine')
      .select(['line', 'code', 'field'])
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .orderBy('line')
      .execute();
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

  /** Quarantined records of a batch, decrypted for the department that sent them. */
  async quarantined(source: FeedSource, batchId: string): Promise<(RejectedRecord & { record: string })[]> {
    const rows = await this.db
      .selectFrom('feed_quarantine')
      .selectAll()
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .orderBy('line')
      .execute();
    return rows.map((r) => ({
      line: r.line,
      code: r.code as ErrorCode,
      field: r.field,
      record: this.cipher.decrypt(r.record_enc, `feed_quarantine:${source}:${batchId}:${r.line}`),
    }));
  }

  async ingest(input: Readable, opts: IngestOptions): Promise<BatchReport> {
    if (!BATCH_ID.test(opts.batchId)) throw new AppError('YMT_ERR_FEED_BATCH_ID');
    const existing = await this.report(opts.source, opts.batchId);
    if (existing) {
      // Nothing of a duplicate is read, but the input is drained to its end (an HTTP upload must be consumed
      // before the answer; a file stream must not be left half-open).
      await finished(input.resume()).catch(() => undefined);
      await this.process(opts.source, opts.batchId);
      return existing;
    }
    const table = TABLE[opts.source];
    const staging = STAGING[table];
    const { source, batchId } = opts;
    const today = shanghaiDate(opts.now);
    // Leftovers of an earlier attempt that never published.
    await this.clearStaging(staging, source, batchId);

    let total = 0;
    let accepted = 0;
    let rejected = 0;
    let good: Row[] = [];
    let bad: Row[] = [];
    const flush = async () => {
      if (good.length === 0 && bad.length === 0) return;
      const [g, b] = [good, bad];
      good = [];
      bad = [];
      await this.db.transaction().execute(async (trx) => {
        // Rows are built per source by row(); the union of staging tables defeats the static row type.
        if (g.length > 0)
          await trx
            .insertInto(staging)
            .values(g as never)
            .execute();
        if (b.length > 0)
          await trx
            .insertInto('feed_quarantine_staging')
            .values(b as never)
            .execute();
      });
    };
    try {
      for await (const item of readFeed(input, opts.format)) {
        total++;
        const parsed: { ok: true; record: FeedRecord } | { ok: false; code: ErrorCode; field: string } =
          'error' in item
            ? { ok: false, code: 'YMT_ERR_FEED_FORMAT', field: 'record' }
            : parseFeedRecord(source, item.raw, today);
        if (parsed.ok) {
          accepted++;
          good.push(this.row(parsed.record, opts, item.line));
        } else {
          rejected++;
          bad.push({
            source,
            batch_id: batchId,
            line: item.line,
            code: parsed.code,
            field: parsed.field,
            record_enc: this.cipher.encrypt(item.text, `feed_quarantine:${source}:${batchId}:${item.line}`),
          });
        }
        if (good.length + bad.length >= CHUNK) {
          await flush();
          opts.onProgress?.(total);
        }
      }
      await flush();
      opts.onProgress?.(total);
      await this.publish(opts, table, staging, { total, accepted, rejected });
    } catch (e) {
      await this.clearStaging(staging, source, batchId).catch(() => undefined);
      if (isUniqueViolation(e)) {
        // Another upload of the same batch published first.
        const report = await this.report(source, batchId);
        if (report) return report;
      }
      throw e;
    }
    await this.process(source, batchId);
    const report = await this.report(source, batchId, false);
    if (!report) throw new Error('published batch not found');
    return report;
  }

  /**
   * Moves the staged batch into the evidence tables and records it, in one transaction. A staging table has
   * exactly the columns of its evidence table, in the same order (one helper creates both in the migration).
   */
  private async publish(
    opts: IngestOptions,
    table: EvidenceTable,
    staging: (typeof STAGING)[EvidenceTable],
    counts: { total: number; accepted: number; rejected: number },
  ): Promise<void> {
    const { source, batchId } = opts;
    const now = this.clock().getTime();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('feed_batches')
        .values({
          source,
          batch_id: batchId,
          province: opts.province,
          ...counts,
          received_at: opts.now.getTime(),
          committed_at: now,
          processed_at: null,
        })
        .execute();
      const sameSource = table === 'trips' ? sql` AND source = ${source}` : sql``;
      await sql`INSERT INTO ${sql.table(table)} SELECT * FROM ${sql.table(staging)} WHERE batch_id = ${batchId}${sameSource}`.execute(
        trx,
      );
      await sql`INSERT INTO feed_quarantine SELECT * FROM feed_quarantine_staging WHERE source = ${source} AND batch_id = ${batchId}`.execute(
        trx,
      );
      await this.clearStaging(staging, source, batchId, trx);
    });
  }

  private async clearStaging(
    staging: (typeof STAGING)[EvidenceTable],
    source: FeedSource,
    batchId: string,
    db: Db = this.db,
  ): Promise<void> {
    let q = db.deleteFrom(staging).where('batch_id', '=', batchId);
    if (staging === 'trips_staging') q = q.where('source', '=', source);
    await q.execute();
    await db
      .deleteFrom('feed_quarantine_staging')
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .execute();
  }
}
