/**
 * A holder's evidence, gathered from the feed tables by the keyed hashes of their document and phone: health
 * events, co-travel exposures, telecom stays with the risk level of each place while they were there. A record
 * its owner corrected (`corrected_at`, src/corrections/record-corrections.service.ts) is evidence no more.
 */
import { areaRiskInForceAfter } from '../area-risk/area-risk.repository.ts';
import { compiledOnce } from '../db/compiled-once.ts';
import type { Db } from '../db/database.ts';
import { RISK_LEVELS } from '../feeds/feed-records.domain.ts';
import { datesBetween } from '../exposure/exposure.domain.ts';
import { docKey } from '../feeds/journeys.repository.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import type {
  CaseStatus,
  CityVisit,
  CoTravel,
  EvidenceRef,
  EvidenceSource,
  HealthEvent,
} from '../risk/evidence.ts';

type Level = (typeof RISK_LEVELS)[number];

/** The codes whose risk level applies to a place: itself, its prefecture and its province. */
export function enclosingAreas(code: string): string[] {
  return [...new Set([code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`])];
}

export interface TelecomStay {
  readonly cityCode: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly batchId: string;
  readonly line: number;
}

/** Read for every status computed: compiled once (src/db/compiled-once.ts). */
const readHealthEvents = compiledOnce(
  (db: Db, docHash: string) =>
    db
      .selectFrom('health_events')
      .selectAll()
      .where('doc_hash', '=', docHash)
      // A corrected record is no longer evidence (migration 0011: a test on the row already read).
      .where('corrected_at', 'is', null)
      .orderBy('at'),
  1,
);
const readTelecomStays = compiledOnce(
  (db: Db, phoneHash: string, sinceMs: number) =>
    db
      .selectFrom('telecom_stays')
      .selectAll()
      .where('phone_hash', '=', phoneHash)
      .where('last_seen', '>=', sinceMs)
      .where('corrected_at', 'is', null)
      .orderBy('first_seen'),
  2,
);

export class EvidenceRepository {
  async healthEvents(db: Db, docHash: string): Promise<HealthEvent[]> {
    const rows = await readHealthEvents(db, docHash);
    return rows.map((r) => ({
      status: r.status as CaseStatus,
      at: new Date(r.at).toISOString(),
      evidence: { source: 'health', batchId: r.batch_id, record: r.line },
    }));
  }

  /**
   * The holder's trips shared with a case, among their trips dated from the day before `sinceMs` (Asia/Shanghai
   * dates; a trip's date is a whole day, so one day more, and the caller's rules decide exactly which still
   * count) to `untilMs`: their own manifest rows, found one day at a time, and the exposures recorded on them.
   */
  async coTravel(db: Db, docHash: string, sinceMs: number, untilMs: number): Promise<CoTravel[]> {
    const rows = await db
      .selectFrom('manifests as m')
      .innerJoin('exposures as e', 'e.trip_seq', 'm.seq')
      .innerJoin('journeys as j', 'j.id', 'm.journey_id')
      .innerJoin('feed_batch_refs as r', 'r.ref', 'm.batch_ref')
      .select(['j.kind', 'j.trip_key', 'j.trip_date', 'r.source', 'r.batch_id', 'm.line'])
      .where('m.trip_date', 'in', datesBetween(shanghaiDate(sinceMs - 86400_000), shanghaiDate(untilMs)))
      .where('m.doc_key', '=', docKey(docHash))
      .where('m.doc_hash', '=', docHash)
      .where('m.corrected_at', 'is', null)
      .orderBy('j.trip_date')
      .orderBy('m.seq')
      .execute();
    // One finding per trip of the holder, however many cases were on it; the case is never named.
    const seen = new Set<string>();
    return rows
      .filter((r) => !seen.has(r.trip_key) && seen.add(r.trip_key))
      .map((r) => ({
        kind: r.kind,
        tripNo: r.trip_key.split(':')[1] ?? '',
        date: r.trip_date,
        evidence: { source: r.source as EvidenceSource, batchId: r.batch_id, record: r.line },
      }));
  }

  /**
   * The holder's arrivals the immigration feed recorded, dated from `sinceDate` to `untilDate` (Asia/Shanghai
   * dates): flight, date and port of entry, with the record each came from.
   */
  async entries(
    db: Db,
    docHash: string,
    sinceDate: string,
    untilDate: string,
  ): Promise<{ tripNo: string; date: string; port: string | null; evidence: EvidenceRef }[]> {
    const rows = await db
      .selectFrom('manifests as m')
      .innerJoin('journeys as j', 'j.id', 'm.journey_id')
      .innerJoin('feed_batch_refs as r', 'r.ref', 'm.batch_ref')
      .select(['j.trip_key', 'j.trip_date', 'm.port', 'r.batch_id', 'm.line'])
      .where('m.trip_date', 'in', datesBetween(sinceDate, untilDate))
      .where('m.doc_key', '=', docKey(docHash))
      .where('m.doc_hash', '=', docHash)
      .where('m.corrected_at', 'is', null)
      .where('j.kind', '=', 'inbound_flight')
      .orderBy('j.trip_date')
      .orderBy('m.seq')
      .execute();
    return rows.map((r) => ({
      tripNo: r.trip_key.split(':')[1] ?? '',
      date: r.trip_date,
      port: r.port,
      evidence: { source: 'immigration', batchId: r.batch_id, record: r.line },
    }));
  }

  /**
   * Whether an arrival the immigration feed recorded from `sinceDate` names this passport with this name (keyed
   * hashes both; docs/identity-provider.md#foreign-passport-holders). A record withdrawn by a correction does not.
   */
  async arrivedWithName(
    db: Db,
    docHash: string,
    nameHash: string,
    sinceDate: string,
    untilDate: string,
  ): Promise<boolean> {
    const row = await db
      .selectFrom('manifests as m')
      .innerJoin('journeys as j', 'j.id', 'm.journey_id')
      .select('m.seq')
      .where('m.doc_key', '=', docKey(docHash))
      .where('m.doc_hash', '=', docHash)
      .where('m.name_hash', '=', nameHash)
      .where('m.corrected_at', 'is', null)
      // One probe of the (trip_date, doc_key) index per day, as for the other trips of a person.
      .where('m.trip_date', 'in', datesBetween(sinceDate, untilDate))
      .where('j.kind', '=', 'inbound_flight')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async telecomStays(db: Db, phoneHash: string | null, sinceMs: number): Promise<TelecomStay[]> {
    if (phoneHash === null) return [];
    const rows = await readTelecomStays(db, phoneHash, sinceMs);
    return rows.map((r) => ({
      cityCode: r.city_code,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      batchId: r.batch_id,
      line: r.line,
    }));
  }

  /**
   * The highest risk level in force for a place at any time in [from, to); low when none is recorded. An entry an
   * operator ended early counts until its end; one withdrawn (ended at or before its start) not at all.
   */
  async riskLevel(db: Db, cityCode: string, fromMs: number, toMs: number): Promise<Level> {
    const rows = await areaRiskInForceAfter(db, fromMs)
      .select('a.level')
      .where('a.area_code', 'in', enclosingAreas(cityCode))
      .where('a.valid_from', '<', Math.max(toMs, fromMs + 1))
      .execute();
    return rows.reduce<Level>((worst, r) => {
      const level = r.level as Level;
      return RISK_LEVELS.indexOf(level) > RISK_LEVELS.indexOf(worst) ? level : worst;
    }, 'low');
  }

  async visits(db: Db, phoneHash: string | null, sinceMs: number): Promise<CityVisit[]> {
    const stays = await this.telecomStays(db, phoneHash, sinceMs);
    return Promise.all(
      stays.map(async (s) => ({
        cityCode: s.cityCode,
        firstSeen: new Date(s.firstSeen).toISOString(),
        lastSeen: new Date(s.lastSeen).toISOString(),
        areaLevel: await this.riskLevel(db, s.cityCode, s.firstSeen, s.lastSeen),
        evidence: { source: 'telecom' as const, batchId: s.batchId, record: s.line },
      })),
    );
  }

  /** The document hashes of a health batch's events (the holders whose status it concerns). */
  async healthBatchHolders(db: Db, batchId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('health_events')
      .select('doc_hash')
      .where('batch_id', '=', batchId)
      .execute();
    return [...new Set(rows.map((r) => r.doc_hash))];
  }

  /** The phone hashes of a telecom batch's stays. */
  async telecomBatchPhones(db: Db, batchId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('telecom_stays')
      .select('phone_hash')
      .where('batch_id', '=', batchId)
      .execute();
    return [...new Set(rows.map((r) => r.phone_hash))];
  }
}
