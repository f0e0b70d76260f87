/**
 * The exposure engine's SQL (exposure.service.ts decides what to ask): case trips, and co-travellers flagged
 * set-based — `close()` is positionSpan's rule (exposure.domain.ts) written as SQL. Inserts are idempotent. A
 * corrected record (`corrected_at` set: a health event or a manifest row retracted or amended) is never read, so it
 * creates no exposure later.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { positionSpan, TRIP_KINDS, type ExposureParameters, type TripKind } from './exposure.domain.ts';

export interface CaseTrip {
  trip_key: string;
  kind: TripKind;
  trip_date: string;
  position: number;
  case_doc_hash: string;
  case_batch_id: string;
  case_line: number;
}

type Joined = Database & { c: Database['case_trips']; j: Database['journeys']; m: Database['manifests'] };
/** An expression over a case trip `c`, its journey `j` and a traveller's manifest row `m`. */
export type Eb = ExpressionBuilder<Joined, 'c' | 'j' | 'm'>;
export type Condition = (eb: Eb) => Expression<SqlBool>;

/** Every case trip: no condition. */
export const ALL: Condition = () => sql<SqlBool>`1 = 1`;

export class ExposuresRepository {
  constructor(private readonly params: ExposureParameters) {}

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
   * Flags the travellers close to the case trips `which` selects, in one statement; `travellers` narrows the
   * manifest rows considered (a new batch's). Returns the document hashes newly exposed when `returning`, else
   * only their number.
   */
  async flagContacts(
    db: Db,
    which: Condition,
    foundAt: number,
    options: { travellers?: Condition; returning: boolean },
  ): Promise<{ count: number; exposed: string[] }> {
    const insert = db
      .insertInto('exposures')
      .columns(['trip_seq', 'case_batch_id', 'case_line', 'doc_hash', 'found_at'])
      .expression((q) =>
        q
          .selectFrom('case_trips as c')
          .innerJoin('journeys as j', 'j.trip_key', 'c.trip_key')
          .innerJoin('manifests as m', 'm.journey_id', 'j.id')
          .select([
            'm.seq',
            'c.case_batch_id',
            'c.case_line',
            'm.doc_hash',
            sql<number>`cast(${foundAt} as bigint)`.as('found_at'),
          ])
          .where((eb) =>
            eb.and([
              which(eb),
              ...(options.travellers ? [options.travellers(eb)] : []),
              eb('m.doc_hash', '!=', eb.ref('c.case_doc_hash')),
              // A corrected manifest row exposes nobody (its case trips are withdrawn with it).
              eb('m.corrected_at', 'is', null),
              this.close(eb),
            ]),
          ),
      )
      .onConflict((oc) => oc.doNothing());
    if (!options.returning) {
      const r = await insert.executeTakeFirst();
      return { count: Number(r.numInsertedOrUpdatedRows ?? 0n), exposed: [] };
    }
    const found = await insert.returning('doc_hash').execute();
    return { count: found.length, exposed: found.map((r) => r.doc_hash) };
  }

  async addCaseTrips(db: Db, trips: readonly CaseTrip[]): Promise<void> {
    for (let i = 0; i < trips.length; i += 500) {
      await db
        .insertInto('case_trips')
        .values(trips.slice(i, i + 500))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  /** A health batch's events of the statuses that make a case. */
  caseEvents(db: Db, batchId: string, statuses: readonly string[]) {
    return db
      .selectFrom('health_events')
      .select(['doc_hash', 'at', 'batch_id', 'line'])
      .where('batch_id', '=', batchId)
      .where('status', 'in', [...statuses])
      .where('corrected_at', 'is', null)
      .execute();
  }

  /** Manifest rows of these documents (by doc key) on these dates, with their journeys. */
  tripsOf(db: Db, dates: readonly string[], docKeys: readonly number[]) {
    return db
      .selectFrom('manifests as m')
      .innerJoin('journeys as j', 'j.id', 'm.journey_id')
      .select(['m.doc_hash', 'm.trip_date', 'm.position', 'j.trip_key', 'j.kind'])
      .where('m.trip_date', 'in', [...dates])
      .where('m.doc_key', 'in', [...docKeys])
      .where('m.corrected_at', 'is', null)
      .execute();
  }

  /** A published manifest batch's reference and the range of manifest sequence numbers it wrote. */
  async manifestRange(
    db: Db,
    source: string,
    batchId: string,
  ): Promise<{ ref: number; from: number; to: number } | undefined> {
    const batch = await db
      .selectFrom('feed_batches as b')
      .innerJoin('feed_batch_refs as r', (j) =>
        j.onRef('r.source', '=', 'b.source').onRef('r.batch_id', '=', 'b.batch_id'),
      )
      .select(['r.ref', 'b.seq_from', 'b.seq_to'])
      .where('b.source', '=', source)
      .where('b.batch_id', '=', batchId)
      .executeTakeFirst();
    if (!batch || batch.seq_from === null || batch.seq_to === null) return undefined;
    return { ref: batch.ref, from: batch.seq_from, to: batch.seq_to };
  }

  /** The travellers of a manifest range who are cases, with their health events (the caller checks windows). */
  casesAmong(db: Db, range: { ref: number; from: number; to: number }, statuses: readonly string[]) {
    return db
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
      .where('m.seq', '>=', range.from)
      .where('m.seq', '<=', range.to)
      .where('m.batch_ref', '=', range.ref)
      .where('h.status', 'in', [...statuses])
      .where('m.corrected_at', 'is', null)
      .where('h.corrected_at', 'is', null)
      .execute();
  }
}
