/**
 * The SQL of correcting feed records (record-corrections.service.ts decides what to ask): the corrections
 * (`record_corrections`), the mark on the original evidence row (`corrected_at`), what was derived from it
 * (case trips, exposures) and the codes of the holders concerned (`codes.withdrawn_at`). Every method takes the
 * database or the service's transaction first.
 */
import type { Selectable } from 'kysely';
import { compiledOnce } from '../db/compiled-once.ts';
import type { Db } from '../db/database.ts';
import type { RecordCorrectionsTable } from '../db/schema.ts';
import type { RecordKind, RecordRef } from './record-corrections.domain.ts';

export type CorrectionRow = Selectable<RecordCorrectionsTable>;

/** The record a reference names, with what withdrawing its consequences needs. */
export type LocatedRecord = { readonly correctedAt: number | null } & (
  | { readonly kind: 'health'; readonly docHash: string }
  | {
      readonly kind: 'manifest';
      readonly seq: number;
      readonly docHash: string;
      readonly journeyId: number;
      readonly tripKey: string;
      readonly position: number;
    }
  | { readonly kind: 'telecom'; readonly phoneHash: string }
  | {
      readonly kind: 'area-risk';
      readonly areaCode: string;
      readonly validFrom: number;
      readonly validTo: number;
    }
);

/** A case event (a health record), as case trips and exposures name it. */
export interface CaseEventKey {
  readonly batchId: string;
  readonly line: number;
}

/** Statements over long lists go 500 values at a time (SQLite's and PostgreSQL's parameter limits). */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Every online verification of a hub code reads this: compiled once (src/db/compiled-once.ts). */
const readWithdrawn = compiledOnce(
  (db: Db, cti: string) => db.selectFrom('codes').select('withdrawn_at').where('cti', '=', cti),
  1,
);

export class RecordCorrectionsRepository {
  /** A published batch: its sending province and, for manifests, its reference and range of rows. */
  async batch(db: Db, source: string, batchId: string) {
    return db
      .selectFrom('feed_batches as b')
      .leftJoin('feed_batch_refs as r', (j) =>
        j.onRef('r.source', '=', 'b.source').onRef('r.batch_id', '=', 'b.batch_id'),
      )
      .select(['b.province', 'b.seq_from', 'b.seq_to', 'r.ref'])
      .where('b.source', '=', source)
      .where('b.batch_id', '=', batchId)
      .executeTakeFirst();
  }

  /** The record `ref` names, if its batch was published with it. */
  async locate(db: Db, ref: RecordRef, kind: RecordKind): Promise<LocatedRecord | undefined> {
    const { batchId, record: line } = ref;
    switch (kind) {
      case 'health': {
        const r = await db
          .selectFrom('health_events')
          .select(['doc_hash', 'corrected_at'])
          .where('batch_id', '=', batchId)
          .where('line', '=', line)
          .executeTakeFirst();
        return r && { kind, docHash: r.doc_hash, correctedAt: r.corrected_at };
      }
      case 'telecom': {
        const r = await db
          .selectFrom('telecom_stays')
          .select(['phone_hash', 'corrected_at'])
          .where('batch_id', '=', batchId)
          .where('line', '=', line)
          .executeTakeFirst();
        return r && { kind, phoneHash: r.phone_hash, correctedAt: r.corrected_at };
      }
      case 'area-risk': {
        const r = await db
          .selectFrom('area_risk_levels')
          .select(['area_code', 'valid_from', 'valid_to', 'corrected_at'])
          .where('batch_id', '=', batchId)
          .where('line', '=', line)
          .executeTakeFirst();
        return (
          r && {
            kind,
            areaCode: r.area_code,
            validFrom: r.valid_from,
            validTo: r.valid_to,
            correctedAt: r.corrected_at,
          }
        );
      }
      case 'manifest': {
        const b = await this.batch(db, ref.source, batchId);
        if (!b || b.ref === null || b.seq_from === null || b.seq_to === null) return undefined;
        // The batch's rows lie within [seq_from, seq_to] (the primary key): no index on (batch_ref, line) needed.
        const r = await db
          .selectFrom('manifests as m')
          .innerJoin('journeys as j', 'j.id', 'm.journey_id')
          .select(['m.seq', 'm.doc_hash', 'm.journey_id', 'm.position', 'm.corrected_at', 'j.trip_key'])
          .where('m.seq', '>=', b.seq_from)
          .where('m.seq', '<=', b.seq_to)
          .where('m.batch_ref', '=', b.ref)
          .where('m.line', '=', line)
          .executeTakeFirst();
        return (
          r && {
            kind,
            seq: r.seq,
            docHash: r.doc_hash,
            journeyId: r.journey_id,
            tripKey: r.trip_key,
            position: r.position,
            correctedAt: r.corrected_at,
          }
        );
      }
    }
  }

  /** Marks the original row corrected: from now on it is no evidence (it stays, to be shown as corrected). */
  async markCorrected(db: Db, ref: RecordRef, record: LocatedRecord, nowMs: number): Promise<void> {
    const set = { corrected_at: nowMs };
    switch (record.kind) {
      case 'manifest':
        await db.updateTable('manifests').set(set).where('seq', '=', record.seq).execute();
        return;
      case 'health':
      case 'telecom':
      case 'area-risk': {
        const table = (
          { health: 'health_events', telecom: 'telecom_stays', 'area-risk': 'area_risk_levels' } as const
        )[record.kind];
        await db
          .updateTable(table)
          .set(set)
          .where('batch_id', '=', ref.batchId)
          .where('line', '=', ref.record)
          .execute();
      }
    }
  }

  async insert(db: Db, row: CorrectionRow): Promise<void> {
    await db.insertInto('record_corrections').values(row).execute();
  }

  async ofRecord(db: Db, ref: RecordRef): Promise<CorrectionRow[]> {
    return db
      .selectFrom('record_corrections')
      .selectAll()
      .where('source', '=', ref.source)
      .where('batch_id', '=', ref.batchId)
      .where('line', '=', ref.record)
      .orderBy('decided_at')
      .execute();
  }

  /** The correction a replacement batch was sent for. */
  async byReplacement(db: Db, source: string, batchId: string): Promise<CorrectionRow | undefined> {
    return db
      .selectFrom('record_corrections')
      .selectAll()
      .where('source', '=', source)
      .where('replacement_batch_id', '=', batchId)
      .executeTakeFirst();
  }

  async byTicket(db: Db, ticketId: string): Promise<CorrectionRow[]> {
    return db
      .selectFrom('record_corrections')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('decided_at')
      .execute();
  }

  /**
   * Withdraws what a case event caused: its case trips and every exposure naming it (co-travel and inbound
   * flights). Returns the document hashes of the people it had exposed.
   */
  async withdrawCaseEvent(
    db: Db,
    event: CaseEventKey,
  ): Promise<{ exposed: string[]; exposures: number; caseTrips: number }> {
    const rows = await db
      .selectFrom('exposures')
      .select('doc_hash')
      .distinct()
      .where('case_batch_id', '=', event.batchId)
      .where('case_line', '=', event.line)
      .execute();
    const exposures = await db
      .deleteFrom('exposures')
      .where('case_batch_id', '=', event.batchId)
      .where('case_line', '=', event.line)
      .executeTakeFirst();
    const caseTrips = await db
      .deleteFrom('case_trips')
      .where('case_batch_id', '=', event.batchId)
      .where('case_line', '=', event.line)
      .executeTakeFirst();
    return {
      exposed: rows.map((r) => r.doc_hash),
      exposures: Number(exposures.numDeletedRows),
      caseTrips: Number(caseTrips.numDeletedRows),
    };
  }

  /** Withdraws the exposures recorded on a traveller's own manifest row. */
  async withdrawTravellerExposures(db: Db, seq: number): Promise<number> {
    const r = await db.deleteFrom('exposures').where('trip_seq', '=', seq).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Whether another row, not corrected, still puts the same traveller at the same place on the same journey. */
  async sameTripElsewhere(db: Db, row: Extract<LocatedRecord, { kind: 'manifest' }>): Promise<boolean> {
    const r = await db
      .selectFrom('manifests')
      .select('seq')
      .where('journey_id', '=', row.journeyId)
      .where('position', '=', row.position)
      .where('doc_hash', '=', row.docHash)
      .where('seq', '!=', row.seq)
      .where('corrected_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /**
   * Withdraws the case trips a traveller's row made (the traveller a case on that journey, at that place) and
   * the exposures on the journey naming those case events. Returns the events and the people they had exposed.
   */
  async withdrawCaseTripsOf(
    db: Db,
    row: Extract<LocatedRecord, { kind: 'manifest' }>,
  ): Promise<{ events: CaseEventKey[]; exposed: string[]; exposures: number; caseTrips: number }> {
    const trips = await db
      .selectFrom('case_trips')
      .select(['case_batch_id', 'case_line'])
      .where('trip_key', '=', row.tripKey)
      .where('case_doc_hash', '=', row.docHash)
      .where('position', '=', row.position)
      .execute();
    if (trips.length === 0) return { events: [], exposed: [], exposures: 0, caseTrips: 0 };
    const deleted = await db
      .deleteFrom('case_trips')
      .where('trip_key', '=', row.tripKey)
      .where('case_doc_hash', '=', row.docHash)
      .where('position', '=', row.position)
      .executeTakeFirst();
    const events = [...new Map(trips.map((t) => [`${t.case_batch_id}\n${t.case_line}`, t])).values()].map(
      (t) => ({ batchId: t.case_batch_id, line: t.case_line }),
    );
    const exposed = new Set<string>();
    let exposures = 0;
    for (const e of events) {
      const onJourney = (q: Db) =>
        q.selectFrom('manifests').select('seq').where('journey_id', '=', row.journeyId);
      const rows = await db
        .selectFrom('exposures')
        .select('doc_hash')
        .where('case_batch_id', '=', e.batchId)
        .where('case_line', '=', e.line)
        .where('trip_seq', 'in', onJourney(db))
        .execute();
      for (const r of rows) exposed.add(r.doc_hash);
      const r = await db
        .deleteFrom('exposures')
        .where('case_batch_id', '=', e.batchId)
        .where('case_line', '=', e.line)
        .where('trip_seq', 'in', onJourney(db))
        .executeTakeFirst();
      exposures += Number(r.numDeletedRows);
    }
    return { events, exposed: [...exposed], exposures, caseTrips: Number(deleted.numDeletedRows) };
  }

  /** The registered holders with these document or phone hashes. */
  async holders(
    db: Db,
    documentHashes: readonly string[],
    phoneHashes: readonly string[],
  ): Promise<string[]> {
    const ids = new Set<string>();
    for (const docs of chunks(documentHashes)) {
      const rows = await db
        .selectFrom('persons')
        .select('person_id')
        .where('document_hash', 'in', docs)
        .execute();
      for (const r of rows) ids.add(r.person_id);
    }
    for (const phones of chunks(phoneHashes)) {
      const rows = await db
        .selectFrom('persons')
        .select('person_id')
        .where('phone_hash', 'in', phones)
        .execute();
      for (const r of rows) ids.add(r.person_id);
    }
    return [...ids];
  }

  /**
   * The holders with a live code (expiring after `liveAfterMs`) who stayed in an area while its risk level was in
   * force: the only ones whose shown colour the level's correction may change right now (found from the live
   * codes, index codes_expires, and each holder's own stays, never by reading every stay).
   */
  async liveHoldersInArea(
    db: Db,
    area: { exact: string; prefix: string | null; validFrom: number; validTo: number },
    liveAfterMs: number,
  ): Promise<string[]> {
    const rows = await db
      .selectFrom('codes as c')
      .innerJoin('persons as p', 'p.person_id', 'c.person_id')
      .select('p.person_id')
      .distinct()
      .where('c.expires_at', '>', liveAfterMs)
      .where('c.withdrawn_at', 'is', null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('telecom_stays as t')
            .select('t.line')
            .whereRef('t.phone_hash', '=', 'p.phone_hash')
            .where('t.corrected_at', 'is', null)
            .where('t.last_seen', '>=', area.validFrom)
            .where('t.first_seen', '<', area.validTo)
            .where((w) =>
              w.or([
                w('t.city_code', '=', area.exact),
                ...(area.prefix === null ? [] : [w('t.city_code', 'like', `${area.prefix}%`)]),
              ]),
            ),
        ),
      )
      .execute();
    return rows.map((r) => r.person_id);
  }

  /** Withdraws the live codes (expiring after `liveAfterMs`) of these holders; returns how many. */
  async withdrawCodes(
    db: Db,
    personIds: readonly string[],
    liveAfterMs: number,
    nowMs: number,
  ): Promise<number> {
    let n = 0;
    for (const ids of chunks(personIds)) {
      const r = await db
        .updateTable('codes')
        .set({ withdrawn_at: nowMs })
        .where('person_id', 'in', ids)
        .where('expires_at', '>', liveAfterMs)
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst();
      n += Number(r.numUpdatedRows);
    }
    return n;
  }

  /** Whether the code with this id (hex `cti`) was issued here and withdrawn since. */
  async codeWithdrawn(db: Db, cti: string): Promise<boolean> {
    const [r] = await readWithdrawn(db, cti);
    return r !== undefined && r.withdrawn_at !== null;
  }
}
