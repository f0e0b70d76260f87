/**
 * The exposure engine, incremental both ways (MISSION.md Q2.3, Q2.5): a new case flags the co-travellers of
 * every trip in its window; a new manifest row is flagged at once if a case travelled on that trip (and if the
 * row is a case's, its co-travellers are flagged). No full recomputation: each batch touches only its own rows
 * and the journeys they name, in a few set-based statements whatever its size (exposures.repository.ts). Inserts
 * are idempotent, so processing a batch twice changes nothing. The caller gives the transaction to work in.
 */
import type { Db } from '../db/database.ts';
import type { FeedSource } from '../feeds/feed-records.domain.ts';
import { docKey } from '../feeds/journeys.repository.ts';
import type { Clock } from '../time/clock.ts';
import { datesBetween, tripWindow, type ExposureParameters } from './exposure.domain.ts';
import { ALL, type CaseTrip, type Condition, type ExposuresRepository } from './exposures.repository.ts';

export interface ExposureResult {
  /** Exposures newly recorded. */
  readonly exposures: number;
  /** The document hashes of the people newly exposed by a manifest batch (empty for a health batch). */
  readonly exposed: readonly string[];
}

/** Case events looked up together (their documents and window dates go into one query). */
const CASE_CHUNK = 500;

export class ExposureService {
  constructor(
    private readonly repo: ExposuresRepository,
    private readonly params: ExposureParameters,
    private readonly clock: Clock,
  ) {}

  /**
   * Finds the exposures a published batch brings. A manifest batch's are returned as the document hashes of the
   * people newly exposed; a health batch's (possibly hundreds of thousands) stay in the database, found by the
   * batch id (`exposures.case_batch_id`), so that whoever acts on them can do so set-based.
   */
  async afterBatch(db: Db, source: FeedSource, batchId: string): Promise<ExposureResult> {
    if (source === 'health') return { exposures: await this.afterHealthBatch(db, batchId), exposed: [] };
    if (source === 'railway' || source === 'aviation' || source === 'immigration')
      return this.afterTripBatch(db, source, batchId);
    return { exposures: 0, exposed: [] };
  }

  /** A health batch: its cases' trips in their windows become case trips, and their contacts are flagged. */
  private async afterHealthBatch(db: Db, batchId: string): Promise<number> {
    const events = await this.repo.caseEvents(db, batchId, this.params.caseStatuses);
    if (events.length === 0) return 0;
    const caseTrips: CaseTrip[] = [];
    for (let i = 0; i < events.length; i += CASE_CHUNK) {
      const chunk = events
        .slice(i, i + CASE_CHUNK)
        .map((e) => ({ ...e, window: tripWindow(e.at, this.params) }));
      // One lookup for the chunk: every window date × every case document (index manifests_doc).
      const dates = new Set<string>();
      for (const e of chunk) for (const d of datesBetween(e.window.from, e.window.to)) dates.add(d);
      const rows = await this.repo.tripsOf(
        db,
        [...dates],
        [...new Set(chunk.map((e) => docKey(e.doc_hash)))],
      );
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
    await this.repo.addCaseTrips(db, caseTrips);
    const { count } = await this.repo.flagContacts(
      db,
      (eb) => eb('c.case_batch_id', '=', batchId),
      this.clock().getTime(),
      { returning: false },
    );
    return count;
  }

  /** A manifest batch: its travellers close to a known case are flagged; its travellers who are cases too. */
  private async afterTripBatch(db: Db, source: FeedSource, batchId: string): Promise<ExposureResult> {
    const range = await this.repo.manifestRange(db, source, batchId);
    if (!range) return { exposures: 0, exposed: [] };
    const foundAt = this.clock().getTime();
    const exposed = new Set<string>();
    const ofBatch: Condition = (eb) =>
      eb.and([eb('m.seq', '>=', range.from), eb('m.seq', '<=', range.to), eb('m.batch_ref', '=', range.ref)]);
    const first = await this.repo.flagContacts(db, ALL, foundAt, { travellers: ofBatch, returning: true });
    let count = first.count;
    for (const h of first.exposed) exposed.add(h);

    // The batch's travellers who are cases reported within the window of their trip.
    const cases = await this.repo.casesAmong(db, range, this.params.caseStatuses);
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
    await this.repo.addCaseTrips(db, caseTrips);
    for (const c of caseTrips) {
      const r = await this.repo.flagContacts(
        db,
        (eb) =>
          eb.and([
            eb('c.trip_key', '=', c.trip_key),
            eb('c.case_doc_hash', '=', c.case_doc_hash),
            eb('c.case_batch_id', '=', c.case_batch_id),
            eb('c.case_line', '=', c.case_line),
          ]),
        foundAt,
        { returning: true },
      );
      count += r.count;
      for (const h of r.exposed) exposed.add(h);
    }
    return { exposures: count, exposed: [...exposed] };
  }
}
