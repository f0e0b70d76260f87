/**
 * Ingesting a department batch (MISSION.md Q1.2). Every record is validated; bad ones are quarantined with
 * their line and reason, good ones become evidence with their provenance. The batch is written aside as it
 * streams in (batch-writer.ts: a spool file on SQLite, one COPY transaction on PostgreSQL) and published with
 * its record in one step at the end, so a crash or a broken upload leaves nothing published, and re-sending
 * the batch completes it. A batch id is idempotent: re-sending a published batch changes nothing and returns
 * its report.
 */
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { TripKind } from '../exposure/exposure.domain.ts';
import { AppError } from '../errors/app-error.ts';
import type { ErrorCode } from '../errors/registry.ts';
import { documentKey } from '../identity/document.domain.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import type { BatchWriter, BatchWriterFactory } from './batch-writer.ts';
import { parseFeedRecord, type FeedRecord, type FeedSource } from './feed-records.domain.ts';
import { readFeed, type FeedFormat } from './feed-reader.ts';
import { docKey, JourneysRepository, type JourneyKey } from './journeys.repository.ts';

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
/** Records between two writes aside (and progress reports). */
const CHUNK = 5000;

type TripRecord = Extract<FeedRecord, { source: 'railway' | 'aviation' | 'immigration' }>;

/** The journey a manifest record names, and the traveller's position on it. */
function journeyOf(r: TripRecord): JourneyKey & { position: number; seat: string; port: string | null } {
  switch (r.source) {
    case 'railway':
      return {
        tripKey: `T:${r.trainNo}:${r.date}`,
        kind: 'train' satisfies TripKind,
        tripDate: r.date,
        position: r.carriage,
        seat: r.seat,
        port: null,
      };
    case 'aviation':
      return {
        tripKey: `F:${r.flightNo}:${r.date}`,
        kind: 'flight',
        tripDate: r.date,
        position: r.row,
        seat: r.seat,
        port: null,
      };
    case 'immigration':
      return {
        tripKey: `I:${r.flightNo}:${r.date}`,
        kind: 'inbound_flight',
        tripDate: r.date,
        position: 0,
        seat: '',
        port: r.port,
      };
  }
}

export class IngestService {
  private readonly journeys: JourneysRepository;

  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
    private readonly clock: () => Date,
    private readonly writers: BatchWriterFactory,
    /** Runs once per published batch (the exposure engine); must be idempotent. */
    private readonly afterPublish: (source: FeedSource, batchId: string) => Promise<unknown> = () =>
      Promise.resolve(),
  ) {
    this.journeys = new JourneysRepository(db);
  }

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

  /** Buffers the evidence row of a record that is not a manifest row, provenance included. */
  private add(w: BatchWriter, r: Exclude<FeedRecord, TripRecord>, opts: IngestOptions, line: number): void {
    const { province, batchId } = opts;
    switch (r.source) {
      case 'health':
        w.add('health_events', [province, batchId, line, this.docHash(r.doc), r.status, r.at]);
        return;
      case 'telecom':
        w.add('telecom_stays', [
          province,
          batchId,
          line,
          this.cipher.index('phone', r.phone),
          r.cityCode,
          r.firstSeen,
          r.lastSeen,
        ]);
        return;
      case 'area-risk':
        w.add('area_risk_levels', [province, batchId, line, r.areaCode, r.level, r.from, r.to, r.authority]);
        return;
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

  /**
   * Quarantined records of a batch, decrypted for the department that sent them; a page of them (lines after
   * `afterLine`, at most `limit`) when asked.
   */
  async quarantined(
    source: FeedSource,
    batchId: string,
    page?: { readonly afterLine: number; readonly limit: number },
  ): Promise<(RejectedRecord & { record: string })[]> {
    let q = this.db
      .selectFrom('feed_quarantine')
      .selectAll()
      .where('source', '=', source)
      .where('batch_id', '=', batchId);
    if (page) q = q.where('line', '>', page.afterLine).limit(page.limit);
    const rows = await q.orderBy('line').execute();
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
    const { source, batchId } = opts;
    const today = shanghaiDate(opts.now);
    const manifest = source === 'railway' || source === 'aviation' || source === 'immigration';
    const batchRef = manifest ? await this.journeys.batchRef(source, batchId) : 0;
    /** Journey ids met in this batch (a day's manifest names a few thousand journeys, each many times). */
    const journeyIds = new Map<string, number>();
    let trips: { record: TripRecord; line: number }[] = [];
    const writer = await this.writers.open();

    /** Manifest rows wait for their journey ids, resolved a chunk at a time. */
    const addTrips = async () => {
      const resolved = trips.map((t) => ({ ...t, journey: journeyOf(t.record) }));
      trips = [];
      const missing = new Map<string, JourneyKey>();
      for (const { journey } of resolved) {
        if (!journeyIds.has(journey.tripKey)) missing.set(journey.tripKey, journey);
      }
      if (missing.size > 0) {
        for (const [k, id] of await this.journeys.resolve([...missing.values()])) journeyIds.set(k, id);
      }
      for (const { record, line, journey } of resolved) {
        const id = journeyIds.get(journey.tripKey);
        if (id === undefined) throw new Error(`journey ${journey.tripKey} was not created`);
        const docHash = this.docHash(record.doc);
        writer.add('manifests', [
          batchRef,
          line,
          id,
          journey.tripDate,
          journey.position,
          journey.seat,
          journey.port,
          docKey(docHash),
          docHash,
        ]);
      }
    };

    let total = 0;
    let accepted = 0;
    let rejected = 0;
    try {
      for await (const item of readFeed(input, opts.format)) {
        total++;
        const parsed: { ok: true; record: FeedRecord } | { ok: false; code: ErrorCode; field: string } =
          'error' in item
            ? { ok: false, code: 'YMT_ERR_FEED_FORMAT', field: 'record' }
            : parseFeedRecord(source, item.raw, today);
        if (parsed.ok) {
          accepted++;
          const r = parsed.record;
          if (r.source === 'railway' || r.source === 'aviation' || r.source === 'immigration') {
            trips.push({ record: r, line: item.line });
          } else {
            this.add(writer, r, opts, item.line);
          }
        } else {
          rejected++;
          writer.add('feed_quarantine', [
            source,
            batchId,
            item.line,
            parsed.code,
            parsed.field,
            this.cipher.encrypt(item.text, `feed_quarantine:${source}:${batchId}:${item.line}`),
          ]);
        }
        if (trips.length + writer.buffered >= CHUNK) {
          await addTrips();
          await writer.flush();
          opts.onProgress?.(total);
        }
      }
      await addTrips();
      await writer.flush();
      opts.onProgress?.(total);
      await writer.publish({
        source,
        batchId,
        province: opts.province,
        total,
        accepted,
        rejected,
        receivedAt: opts.now.getTime(),
        committedAt: this.clock().getTime(),
      });
    } catch (e) {
      await writer.discard().catch(() => undefined);
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
}
