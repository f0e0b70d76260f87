/**
 * The exposure engine, incremental both ways (MISSION.md Q2.3, Q2.5): a new case flags the co-travellers of
 * every trip in its window; a new manifest row is flagged at once if a case travelled on that trip (and if the
 * row is a case's, its co-travellers are flagged). No full recomputation: each batch touches only its own rows
 * and the trips they name. Inserts are idempotent, so processing a batch twice changes nothing.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { FeedSource } from '../feeds/feed-records.rules.ts';
import { contactRange, tripWindow, type ExposureParameters, type TripKind } from './exposure.rules.ts';

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

  /** Set-based: two statements per batch, whatever its size. */
  private async afterTripBatch(source: FeedSource, batchId: string, exposed: Set<string>): Promise<number> {
    const span = this.params.flightRowSpan;
    // The batch's travellers close to a case already known on their trip: contactRange's rule, written as SQL.
    const found = await this.db
      .insertInto('exposures')
      .columns([
        'doc_hash',
        'kind',
        'trip_key',
        'trip_date',
        'trip_source',
        'trip_batch_id',
        'trip_line',
        'case_batch_id',
        'case_line',
        'found_at',
      ])
      .expression((eb) =>
        eb
          .selectFrom('trips as t')
          .innerJoin('case_trips as c', 'c.trip_key', 't.trip_key')
          .select([
            't.doc_hash',
            't.kind',
            't.trip_key',
            't.trip_date',
            't.source',
            't.batch_id',
            't.line',
            'c.case_batch_id',
            'c.case_line',
            sql<number>`cast(${this.clock().getTime()} as bigint)`.as('found_at'),
          ])
          .where('t.source', '=', source)
          .where('t.batch_id', '=', batchId)
          .whereRef('t.doc_hash', '!=', 'c.case_doc_hash')
          .where((w) =>
            w.or([
              w('t.kind', '=', 'inbound_flight'),
              w.and([w('t.kind', '=', 'train'), w('t.position', '=', w.ref('c.position'))]),
              w.and([
                w('t.kind', '=', 'flight'),
                w('t.position', '>=', sql<number>`c.position - ${span}`),
                w('t.position', '<=', sql<number>`c.position + ${span}`),
              ]),
            ]),
          ),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('doc_hash')
      .execute();
    for (const r of found) exposed.add(r.doc_hash);
    let count = found.length;
    // The batch's travellers who are cases reported within the window of their trip.
    const cases = (await this.db
      .selectFrom('trips as t')
      .innerJoin('health_events as h', 'h.doc_hash', 't.doc_hash')
      .select([
        't.source',
        't.kind',
        't.trip_key',
        't.trip_date',
        't.position',
        't.doc_hash',
        't.batch_id',
        't.line',
        'h.at',
        'h.batch_id as event_batch_id',
        'h.line as event_line',
      ])
      .where('t.source', '=', source)
      .where('t.batch_id', '=', batchId)
      .where('h.status', 'in', [...this.params.caseStatuses])
      .execute()) as (TripRow & { at: number; event_batch_id: string; event_line: number })[];
    for (const c of cases) {
      const window = tripWindow(c.at, this.params);
      if (c.trip_date < window.from || c.trip_date > window.to) continue;
      count += await this.addCaseTrip(
        c,
        { doc_hash: c.doc_hash, at: c.at, batch_id: c.event_batch_id, line: c.event_line },
        exposed,
      );
    }
    return count;
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
