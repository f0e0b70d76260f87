/**
 * The exposure engine, incremental both ways (MISSION.md Q2.3, Q2.5): a new case flags the co-travellers of
 * every trip in its window; a new manifest row is flagged at once if a case travelled on that trip (and if the
 * row is a case's, its co-travellers are flagged). No full recomputation: each batch touches only its own rows
 * and the trips they name. Inserts are idempotent, so processing a batch twice changes nothing.
 */
import type { Db } from '../db/database.ts';
import type { FeedSource } from '../feeds/feed-records.rules.ts';
import {
  contactRange,
  inContactRange,
  tripWindow,
  type ExposureParameters,
  type TripKind,
} from './exposure.rules.ts';

interface TripRow {
  source: string;
  kind: TripKind;
  trip_key: string;
  trip_date: string;
  position: number;
  doc_hash: string;
  batch_id: string;
  line: number;
}

interface CaseEvent {
  doc_hash: string;
  at: number;
  batch_id: string;
  line: number;
}

export class ExposureService {
  constructor(
    private readonly db: Db,
    private readonly params: ExposureParameters,
    private readonly clock: () => Date,
  ) {}

  /** Finds the exposures a published batch brings. Returns the document hashes of the people newly exposed. */
  async afterBatch(source: FeedSource, batchId: string): Promise<string[]> {
    const exposed = new Set<string>();
    if (source === 'health') await this.afterHealthBatch(batchId, exposed);
    if (source === 'railway' || source === 'aviation' || source === 'immigration') {
      await this.afterTripBatch(source, batchId, exposed);
    }
    return [...exposed];
  }

  private async afterHealthBatch(batchId: string, exposed: Set<string>): Promise<number> {
    const events = await this.db
      .selectFrom('health_events')
      .select(['doc_hash', 'at', 'batch_id', 'line'])
      .where('batch_id', '=', batchId)
      .where('status', 'in', [...this.params.caseStatuses])
      .execute();
    let found = 0;
    for (const event of events) {
      const window = tripWindow(event.at, this.params);
      const trips = await this.tripsOf(event.doc_hash, window);
      for (const trip of trips) found += await this.addCaseTrip(trip, event, exposed);
    }
    return found;
  }

  private async afterTripBatch(source: FeedSource, batchId: string, exposed: Set<string>): Promise<number> {
    const rows = (await this.db
      .selectFrom('trips')
      .select(['source', 'kind', 'trip_key', 'trip_date', 'position', 'doc_hash', 'batch_id', 'line'])
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .execute()) as TripRow[];
    let found = 0;
    for (const row of rows) {
      // A case already known to have travelled on this trip, close enough.
      const cases = await this.db
        .selectFrom('case_trips')
        .selectAll()
        .where('trip_key', '=', row.trip_key)
        .where('case_doc_hash', '!=', row.doc_hash)
        .execute();
      for (const c of cases) {
        if (inContactRange(contactRange(c.kind as TripKind, c.position, this.params), row.position)) {
          found += await this.record(row, { batch_id: c.case_batch_id, line: c.case_line }, exposed);
        }
      }
      // The row's traveller is a case reported within the window of this trip.
      const events = await this.db
        .selectFrom('health_events')
        .select(['doc_hash', 'at', 'batch_id', 'line'])
        .where('doc_hash', '=', row.doc_hash)
        .where('status', 'in', [...this.params.caseStatuses])
        .execute();
      for (const event of events) {
        const window = tripWindow(event.at, this.params);
        if (row.trip_date >= window.from && row.trip_date <= window.to)
          found += await this.addCaseTrip(row, event, exposed);
      }
    }
    return found;
  }

  private async tripsOf(docHash: string, window: { from: string; to: string }): Promise<TripRow[]> {
    return await this.db
      .selectFrom('trips')
      .select(['source', 'kind', 'trip_key', 'trip_date', 'position', 'doc_hash', 'batch_id', 'line'])
      .where('doc_hash', '=', docHash)
      .where('trip_date', '>=', window.from)
      .where('trip_date', '<=', window.to)
      .execute();
  }

  /** Records that a case travelled on a trip, and flags the close contacts already on its manifest. */
  private async addCaseTrip(trip: TripRow, event: CaseEvent, exposed: Set<string>): Promise<number> {
    await this.db
      .insertInto('case_trips')
      .values({
        trip_key: trip.trip_key,
        kind: trip.kind,
        trip_date: trip.trip_date,
        position: trip.position,
        case_doc_hash: event.doc_hash,
        case_batch_id: event.batch_id,
        case_line: event.line,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const range = contactRange(trip.kind, trip.position, this.params);
    let query = this.db
      .selectFrom('trips')
      .select(['source', 'kind', 'trip_key', 'trip_date', 'position', 'doc_hash', 'batch_id', 'line'])
      .where('trip_key', '=', trip.trip_key)
      .where('doc_hash', '!=', event.doc_hash);
    if (range) query = query.where('position', '>=', range.min).where('position', '<=', range.max);
    const contacts = (await query.execute()) as TripRow[];
    let found = 0;
    for (const c of contacts) found += await this.record(c, event, exposed);
    return found;
  }

  private async record(
    trip: TripRow,
    cause: { batch_id: string; line: number },
    exposed: Set<string>,
  ): Promise<number> {
    const r = await this.db
      .insertInto('exposures')
      .values({
        doc_hash: trip.doc_hash,
        kind: trip.kind,
        trip_key: trip.trip_key,
        trip_date: trip.trip_date,
        trip_source: trip.source,
        trip_batch_id: trip.batch_id,
        trip_line: trip.line,
        case_batch_id: cause.batch_id,
        case_line: cause.line,
        found_at: this.clock().getTime(),
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    const inserted = Number(r.numInsertedOrUpdatedRows ?? 0n);
    if (inserted > 0) exposed.add(trip.doc_hash);
    return inserted;
  }
}
