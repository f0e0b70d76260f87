/**
 * The national code's health functions for the holder (MISSION.md Q2.1–Q2.5, Q2.7): each answers from the
 * evidence the hub holds, never naming another person.
 */
import type { Db } from '../db/database.ts';
import type { DeclarationsRepository } from '../declaration/declarations.repository.ts';
import type { EvidenceRepository } from '../evidence/evidence.repository.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { regionName, regionNameEn } from '../regions/regions.ts';
import { baselineNumber } from '../risk/baseline.ts';
import type { CoTravel } from '../risk/evidence.ts';
import type { CaseStatusAnswer } from '../status/case-status.domain.ts';
import type { CaseStatusService } from '../status/case-status.service.ts';
import type { StatusService } from '../status/status.service.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { compareEntry, entryWindow } from '../declaration/entry.domain.ts';
import { cityOf, compareItinerary, counts } from './itinerary.domain.ts';

const named = (code: string) => ({
  cityCode: code,
  name: regionName(code) ?? '',
  nameEn: regionNameEn(code) ?? '',
});

export class HealthInfoService {
  constructor(
    private readonly db: Db,
    private readonly status: StatusService,
    private readonly evidence: EvidenceRepository,
    private readonly persons: PersonsRepository,
    private readonly declarations: DeclarationsRepository,
    private readonly cases: CaseStatusService,
  ) {}

  private async keys(personId: string) {
    const keys = await this.persons.lookupKeys(this.db, personId);
    return keys ?? { documentHash: '', phoneHash: null };
  }

  private since(now: Date): number {
    return now.getTime() - this.status.windowDays() * 86400_000;
  }

  /** What the itinerary and the visited-area answers both start from: declared cities and telecom stays. */
  private async travel(personId: string, now: Date) {
    const [declaration, stays] = await Promise.all([
      this.declarations.latest(this.db, personId),
      this.evidence.telecomStays(this.db, (await this.keys(personId)).phoneHash, this.since(now)),
    ]);
    return {
      declared: [...(declaration?.body.recentCities ?? [])],
      stays,
      stayHours: baselineNumber('stayHours'),
    };
  }

  /**
   * Q2.2: is the holder a confirmed or suspected case — derived from the findings that decide the colour (the
   * status's reasons), through the records they name: health events, status entries and, on a node, the hub's answer
   * (case-status.service.ts).
   */
  async caseStatus(personId: string, now: Date): Promise<CaseStatusAnswer> {
    const status = await this.status.current(personId, now);
    return this.cases.of(personId, status.reasons);
  }

  /** Q2.3 and Q2.5: trips in the window shared with a case; the trip and date, never the case. */
  async coTravel(personId: string, now: Date, inbound: boolean): Promise<CoTravel[]> {
    const since = this.since(now);
    const from = new Date(since).toISOString().slice(0, 10);
    const trips = await this.evidence.coTravel(
      this.db,
      (await this.keys(personId)).documentHash,
      since,
      now.getTime(),
    );
    return trips.filter((t) => (t.kind === 'inbound_flight') === inbound && t.date >= from);
  }

  /** Q2.4: declared cities beside the telecom itinerary, mismatches marked. */
  async itinerary(personId: string, now: Date) {
    const { declared, stays, stayHours: hours } = await this.travel(personId, now);
    return {
      windowDays: this.status.windowDays(),
      stayHours: hours,
      declared: declared.map(named),
      telecom: stays.map((s) => ({
        ...named(s.cityCode),
        firstSeen: new Date(s.firstSeen).toISOString(),
        lastSeen: new Date(s.lastSeen).toISOString(),
        counted: counts(s, hours),
      })),
      mismatches: (({ declaredNotSeen, seenNotDeclared }) => ({
        declaredNotSeen: declaredNotSeen.map(named),
        seenNotDeclared: seenNotDeclared.map(named),
      }))(compareItinerary(declared, stays, hours)),
    };
  }

  /**
   * Q10: the entry the holder declared beside the arrivals the immigration feed recorded for their document in the
   * same window as a declared entry may name, and whether they agree (entry.domain.ts).
   */
  async entry(personId: string, now: Date) {
    const today = shanghaiDate(now);
    const [declaration, keys] = await Promise.all([
      this.declarations.latest(this.db, personId),
      this.keys(personId),
    ]);
    const { since, until } = entryWindow(today);
    const recorded = await this.evidence.entries(this.db, keys.documentHash, since, until);
    const declared = declaration?.body.entry;
    return {
      declared: declared ?? null,
      recorded,
      check: declared ? compareEntry(declared, recorded) : null,
    };
  }

  /** Q2.7: the risk level now of every city visited in the window, and of the latest check-in city. */
  async areaRisk(personId: string, now: Date) {
    const { declared, stays, stayHours: hours } = await this.travel(personId, now);
    const counted = stays.filter((s) => counts(s, hours));
    const cities = [...new Set([...counted.map((s) => cityOf(s.cityCode)), ...declared.map(cityOf)])].sort();
    const level = (code: string) => this.evidence.riskLevel(this.db, code, now.getTime(), now.getTime() + 1);
    const latest = counted.reduce<(typeof counted)[number] | undefined>(
      (a, s) => (a && a.lastSeen >= s.lastSeen ? a : s),
      undefined,
    );
    return {
      cities: await Promise.all(cities.map(async (c) => ({ ...named(c), level: await level(c) }))),
      latestCheckIn: latest
        ? {
            ...named(latest.cityCode),
            level: await level(latest.cityCode),
            at: new Date(latest.lastSeen).toISOString(),
          }
        : null,
    };
  }
}
