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
import type { AuditActor } from '../audit/audit-chain.ts';
import { inTransaction, isUniqueViolation, type Db } from '../db/database.ts';
import type { TripKind } from '../exposure/exposure.domain.ts';
import { AppError } from '../errors/app-error.ts';
import type { ErrorCode } from '../errors/registry.ts';
import { documentKey } from '../identity/document.domain.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import type { Clock } from '../time/clock.ts';
import type { BatchWriter, BatchWriterFactory } from './batch-writer.ts';
import { quarantineAad, type BatchReport, type FeedBatchesService } from './feed-batches.service.ts';
import type { FeedBatchesRepository } from './feed-batches.repository.ts';
import { parseFeedRecord, type FeedRecord, type FeedSource } from './feed-records.domain.ts';
import { readFeed, type FeedFormat } from './feed-reader.ts';
import { docKey, type JourneyKey, type JourneysRepository } from './journeys.repository.ts';

export type { BatchReport } from './feed-batches.service.ts';

/**
 * What a published batch sets off (src/status/batch-effects.service.ts: exposures, then status snapshots), in the
 * transaction that marks the batch processed; it must be idempotent.
 */
export type AfterPublish = (trx: Db, source: FeedSource, batchId: string) => Promise<unknown>;

export interface IngestOptions {
  readonly source: FeedSource;
  readonly format: FeedFormat;
  readonly batchId: string;
  /** The sending province (GB/T 2260 code), or null for a national department. */
  readonly province: string | null;
  readonly now: Date;
  /** Who sends it, as the audit log names them (the batch's entry is chained when it is published). */
  readonly by: AuditActor;
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
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
    private readonly clock: Clock,
    private readonly writers: BatchWriterFactory,
    private readonly batches: FeedBatchesRepository,
    private readonly reports: FeedBatchesService,
    private readonly journeys: JourneysRepository,
    private readonly afterPublish: AfterPublish = () => Promise.resolve(),
  ) {}

  /**
   * Processes a published batch's evidence unless already done, in one transaction with the mark that it is done
   * (a crash before the end leaves it unprocessed, and the next sending of the batch finishes it).
   */
  private async process(source: FeedSource, batchId: string): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const b = await this.batches.batch(trx, source, batchId);
      if (!b || b.processed_at !== null) return;
      await this.afterPublish(trx, source, batchId);
      await this.batches.markProcessed(trx, source, batchId, this.clock().getTime());
    });
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

  async ingest(input: Readable, opts: IngestOptions): Promise<BatchReport> {
    if (!BATCH_ID.test(opts.batchId)) throw new AppError('YMT_ERR_FEED_BATCH_ID');
    const existing = await this.reports.report(opts.source, opts.batchId);
    if (existing) {
      // Nothing of a duplicate is read, but the input is drained to its end (an HTTP upload must be consumed
      // before the answer; a file stream must not be left half-open).
      await finished(input.resume()).catch(() => undefined);
      await this.process(opts.source, opts.batchId);
      return existing;
    }
    const { source, batchId } = opts;
    const manifest = source === 'railway' || source === 'aviation' || source === 'immigration';
    const batchRef = manifest ? await this.journeys.batchRef(this.db, source, batchId) : 0;
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
        for (const [k, id] of await this.journeys.resolve(this.db, [...missing.values()]))
          journeyIds.set(k, id);
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
          record.source === 'immigration' && record.name !== undefined
            ? this.cipher.index('name', record.name)
            : null,
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
            : parseFeedRecord(source, item.raw, opts.now);
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
            this.cipher.encrypt(item.text, quarantineAad(source, batchId, item.line)),
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
        by: opts.by,
      });
    } catch (e) {
      await writer.discard().catch(() => undefined);
      if (isUniqueViolation(e)) {
        // Another upload of the same batch published first.
        const report = await this.reports.report(source, batchId);
        if (report) return report;
      }
      throw e;
    }
    await this.process(source, batchId);
    const report = await this.reports.report(source, batchId, false);
    if (!report) throw new Error('published batch not found');
    return report;
  }
}
