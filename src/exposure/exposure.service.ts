/**
 * The exposure engine, incremental both ways (MISSION.md Q2.3, Q2.5): a new case flags the co-travellers of
 * every trip in its window; a new manifest row is flagged at once if a case travelled on that trip (and if the
 * row is a case's, its co-travellers are flagged). No full recomputation: each batch touches only its own rows
 * and the journeys they name, in a few set-based statements whatever its size. Inserts are idempotent, so
 * processing a batch twice changes nothing.
 */
import { sql, type ExpressionBuilder, type SqlBool, type Expression } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { FeedSource } from '../feeds/feed-records.domain.ts';
import { docKey } from '../feeds/journeys.repository.ts';
import {
  datesBetween,
  positionSpan,
  tripWindow,
  TRIP_KINDS,
  type ExposureParameters,
  type TripKind,
} from './exposure.domain.ts';

export interface ExposureResult {
  /** Exposures newly recorded. */
  readonly exposures: number;
  /** The document hashes of the people newly exposed by a manifest batch (empty for a health batch). */
  readonly exposed: readonly string[];
}

interface CaseTrip {
  trip_key: string;
  kind: TripKind;
  trip_date: string;
  position: number;
  case_doc_hash: string;
  case_batch_id: string;
  case_line: number;
}

type Joined = Database & { c: Database['case_trips']; j: Database['journeys']; m: Database['manifests'] };
type Eb = ExpressionBuilder<Joined, 'c' | 'j' | 'm'>;

/** Case events looked up together (their documents and window dates go into one query). */
const CASE_CHUNK = 500;

export class ExposureService {
  constructor(
    private readonly db: Db,
    private readonly params: ExposureParameters,
    private readonly clock: () => Date,
  ) {}

  /**
   * Finds the exposures a published batch brings. A manifest batch's are returned as the document hashes of the
   * people newly exposed; a health batch's (possibly hundreds of thousands) stay in the database, found by the
   * batch id (`exposures.case_batch_id`), so that whoever acts on them can do so set-based.
   */
  async afterBatch(source: FeedSource, batchId: string): Promise<ExposureResult> {
    if (source === 'health') return { exposures: await this.afterHealthBatch(batchId), exposed: [] };
    const exposed = new Set<string>();
    let exposures = 0;
    if (source === 'railway' || source === 'aviation' || source === 'immigration') {
      exposures = await this.afterTripBatch(source, batchId, exposed);
    }
    return { exposures, exposed: [...exposed] };
  }

  /**
   * positionSpan's rule as SQL: traveller m is close to case trip c on journey j. Written as one range on
   * m.position whose bounds depend on the journey's kind, so that the index (journey_id, position) reads only
   * the rows in range.
   */
  private close(eb: Eb): Expression<SqlBool> {
    // The whole trip: any position a manifest can hold (carriages, seat rows and 0 are far below this).
    const WHOLE = 1_000_000;
    const span = sql<number>`(CASE ${eb.ref('j.kind')} ${sql.join(
      TRIP_KINDS.map((kind) => sql`WHEN ${kind} THEN ${positionSpan(kind, this.params) ?? WHOLE}`),
      sql` `,
    )} ELSE 0 END)`;
    return eb.and([
      eb('m.position', '>=', sql<number>`${eb.ref('c.position')} - ${span}`),
      eb('m.position', '<=', sql<number>`${eb.ref('c.position')} + ${span}`),
    ]);
  }

  /**
   * Flags the travellers close to the case trips `which` selects, and those travellers only, in one statement.
   * `travellers` narrows the manifest rows considered (a new batch's), or takes them all.
   */
  private async flagContacts(
    which: (eb: Eb) => Expression<SqlBool>,
    exposed: Set<string> | null,
    travellers?: (eb: Eb) => Expression<SqlBool>,
  ): Promise<number> {
    const insert = this.db
      .insertInto('exposures')
      .columns(['trip_seq', 'case_batch_id', 'case_line', 'doc_hash', 'found_at'])
      .expression((db) =>
        db
          .selectFrom('case_trips as c')
          .innerJoin('journeys as j', 'j.trip_key', 'c.trip_key')
          .innerJoin('manifests as m', 'm.journey_id', 'j.id')
          .select([
            'm.seq',
            'c.case_batch_id',
            'c.case_line',
            'm.doc_hash',
            sql<number>`cast(${this.clock().getTime()} as bigint)`.as('found_at'),
          ])
          .where((eb) =>
            eb.and([
              which(eb),
              ...(travellers ? [travellers(eb)] : []),
              eb('m.doc_hash', '!=', eb.ref('c.case_doc_hash')),
              this.close(eb),
            ]),
          ),
      )
      .onConflict((oc) => oc.doNothing());
    if (exposed === null) {
      const r = await insert.executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n);
    }
    const found = await insert.returning('doc_hash').execute();
    for (const r of found) exposed.add(r.doc_hash);
    return found.length;
  }

  private async addCaseTrips(trips: readonly CaseTrip[]): Promise<void> {
    for (let i = 0; i < trips.length; i += 500) {
      await this.db
        .insertInto('case_trips')
        .values(trips.slice(i, i + 500))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  /** A health batch: its cases' trips in their windows become case trips, and their contacts are flagged. */
  private async afterHealthBatch(batchId: string): Promise<number> {
    const events = await this.db
      .selectFrom('health_events')
      .select(['doc_hash', 'at', 'batch_id', 'line'])
      .where('batch_id', '=', batchId)
      .where('status', 'in', [...this.params.caseStatuses])
      .execute();
    if (events.length === 0) return 0;
    const caseTrips: CaseTrip[] = [];
    for (let i = 0; i < events.length; i += CASE_CHUNK) {
      const chunk = events
        .slice(i, i + CASE_CHUNK)
        .map((e) => ({ ...e, window: tripWindow(e.at, this.params) }));
      // One lookup for the chunk: every window date × every case document (index manifests_doc).
      const dates = new Set<string>();
      for (const e of chunk) for (const d of datesBetween(e.window.from, e.window.to)) dates.add(d);
      const rows = await this.db
        .selectFrom('manifests as m')
        .innerJoin('journeys as j', 'j.id', 'm.journey_id')
        .select(['m.doc_hash', 'm.trip_date', 'm.position', 'j.trip_key', 'j.kind'])
        .where('m.trip_date', 'in', [...dates])
        .where('m.doc_key', 'in', [...new Set(chunk.map((e) => docKey(e.doc_hash)))])
        .execute();
      const byDoc = new Map<string, typeof rows>();
      for (const r of rows) byDoc.set(r.doc_hash, [...(byDoc.get(r.doc_hash) ?? []), r]);
      for (const e of chunk) {
        for (const t of byDoc.get(e.doc_hash) ?? []) {
          if (t.trip_date < e.window.from || t.trip_date > e.window.to) continue;
          caseTrips.push({
            trip_key: t.trip_key,
            kind: t.kind,
            trip_date: t.trip_date,
            position: t.position,
            case_doc_hash: e.doc_hash,
            case_batch_id: e.batch_id,
            case_line: e.line,
          });
        }
      }
    }
    await this.addCaseTrips(caseTrips);
    return this.flagContacts((eb) => eb('c.case_batch_id', '=', batchId), null);
  }

  /** A manifest batch: its travellers close to a known case are flagged; its travellers who are cases too. */
  private async afterTripBatch(source: FeedSource, batchId: string, exposed: Set<string>): Promise<number> {
    const batch = await this.db
      .selectFrom('feed_batches as b')
      .innerJoin('feed_batch_refs as r', (j) =>
        j.onRef('r.source', '=', 'b.source').onRef('r.batch_id', '=', 'b.batch_id'),
      )
      .select(['r.ref', 'b.seq_from', 'b.seq_to'])
      .where('b.source', '=', source)
      .where('b.batch_id', '=', batchId)
      .executeTakeFirst();
    if (!batch || batch.seq_from === null || batch.seq_to === null) return 0;
    const { ref, seq_from: from, seq_to: to } = batch;
    const ofBatch = (eb: Eb) =>
      eb.and([eb('m.seq', '>=', from), eb('m.seq', '<=', to), eb('m.batch_ref', '=', ref)]);
    let count = await this.flagContacts(() => sql<SqlBool>`1 = 1`, exposed, ofBatch);

    // The batch's travellers who are cases reported within the window of their trip.
    const cases = await this.db
      .selectFrom('manifests as m')
      .innerJoin('journeys as j', 'j.id', 'm.journey_id')
      .innerJoin('health_events as h', 'h.doc_hash', 'm.doc_hash')
      .select([
        'j.trip_key',
        'j.kind',
        'j.trip_date',
        'm.position',
        'm.doc_hash',
        'h.at',
        'h.batch_id as event_batch_id',
        'h.line as event_line',
      ])
      .where('m.seq', '>=', from)
      .where('m.seq', '<=', to)
      .where('m.batch_ref', '=', ref)
      .where('h.status', 'in', [...this.params.caseStatuses])
      .execute();
    const caseTrips = cases
      .filter((c) => {
        const w = tripWindow(c.at, this.params);
        return c.trip_date >= w.from && c.trip_date <= w.to;
      })
      .map((c) => ({
        trip_key: c.trip_key,
        kind: c.kind,
        trip_date: c.trip_date,
        position: c.position,
        case_doc_hash: c.doc_hash,
        case_batch_id: c.event_batch_id,
        case_line: c.event_line,
      }));
    await this.addCaseTrips(caseTrips);
    for (const c of caseTrips) {
      count += await this.flagContacts(
        (eb) =>
          eb.and([
            eb('c.trip_key', '=', c.trip_key),
            eb('c.case_doc_hash', '=', c.case_doc_hash),
            eb('c.case_batch_id', '=', c.case_batch_id),
            eb('c.case_line', '=', c.case_line),
          ]),
        exposed,
      );
    }
    return count;
  }
}
