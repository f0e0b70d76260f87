/**
 * The evidence a status is computed from, and the items the rules see. Every item names the record it came
 * from (ARCHITECTURE.md principle 4), so a reason can point at it and a correction can reach its owner.
 */
import { symptomEn } from '../declaration/symptoms.ts';

export type EvidenceSource =
  'health' | 'immigration' | 'aviation' | 'railway' | 'telecom' | 'area-risk' | 'declaration';

export interface EvidenceRef {
  readonly source: EvidenceSource;
  readonly batchId: string;
  /** The record's line in its batch (1-based), or the declaration's version. */
  readonly record: number;
}

export type CaseStatus = 'confirmed' | 'suspected' | 'asymptomatic' | 'close_contact' | 'cleared';

export interface HealthEvent {
  readonly status: CaseStatus;
  /** ISO 8601. */
  readonly at: string;
  readonly evidence: EvidenceRef;
}

export interface CoTravel {
  readonly kind: 'train' | 'flight' | 'inbound_flight';
  /** Train or flight number. */
  readonly tripNo: string;
  /** YYYY-MM-DD. */
  readonly date: string;
  /** The holder's own manifest record; the case's identity is never part of the evidence. */
  readonly evidence: EvidenceRef;
}

export interface CityVisit {
  readonly cityCode: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** The area's risk level while the holder was there. */
  readonly areaLevel: 'low' | 'medium' | 'high';
  readonly evidence: EvidenceRef;
}

export interface DeclaredHealthFacts {
  readonly temperature: number;
  readonly symptoms: readonly string[];
  readonly contactWithCases: boolean;
  readonly evidence: EvidenceRef;
}

/**
 * An inbound traveller's declared entry against the immigration feed's records (Q10; src/declaration/entry.domain.ts):
 * `matched`, `mismatch` (with the fields that differ from the nearest record) or `not_recorded` (yet). The evidence
 * is the declaration: what the holder declared is what the check is about, and what they can correct.
 */
export interface EntryFact {
  readonly result: 'matched' | 'mismatch' | 'not_recorded';
  readonly fields: readonly ('tripNo' | 'date')[];
  readonly declaredTripNo: string;
  readonly declaredDate: string;
  /** The nearest record (by date), when there is one. */
  readonly recordedTripNo?: string | undefined;
  readonly recordedDate?: string | undefined;
  readonly evidence: EvidenceRef;
}

export interface EvidenceBundle {
  readonly healthEvents: readonly HealthEvent[];
  readonly coTravel: readonly CoTravel[];
  readonly visits: readonly CityVisit[];
  readonly declaration?: DeclaredHealthFacts | undefined;
  readonly entry?: EntryFact | undefined;
}

export const EVIDENCE_KINDS = ['healthEvents', 'coTravel', 'visits', 'declaration', 'entry'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** What a rule sees of one piece of evidence: JSON only, integers only (CertLogic compares integers). */
export interface RuleItem {
  readonly data: Record<string, unknown>;
  readonly evidence: EvidenceRef;
}

const HOUR_MS = 3600_000;

/**
 * Items per kind, with the derived facts rules need: `latest` on the most recent health event, whole `stayHours`
 * of a visit, the temperature in tenths of a degree.
 */
export function ruleItems(bundle: EvidenceBundle): Record<EvidenceKind, RuleItem[]> {
  const events = [...bundle.healthEvents].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const d = bundle.declaration;
  const e = bundle.entry;
  return {
    healthEvents: events.map((e, i) => ({
      data: { status: e.status, at: e.at, latest: i === events.length - 1 },
      evidence: e.evidence,
    })),
    coTravel: bundle.coTravel.map((t) => ({
      data: { kind: t.kind, tripNo: t.tripNo, date: t.date },
      evidence: t.evidence,
    })),
    visits: bundle.visits.map((v) => ({
      data: {
        cityCode: v.cityCode,
        firstSeen: v.firstSeen,
        lastSeen: v.lastSeen,
        areaLevel: v.areaLevel,
        stayHours: Math.floor((Date.parse(v.lastSeen) - Date.parse(v.firstSeen)) / HOUR_MS),
      },
      evidence: v.evidence,
    })),
    declaration: d
      ? [
          {
            data: {
              temperature: d.temperature.toFixed(1),
              temperatureDeci: Math.round(d.temperature * 10),
              symptoms: d.symptoms.join('、'),
              symptomsEn: d.symptoms.map(symptomEn).join(', '),
              symptomCount: d.symptoms.length,
              contactWithCases: d.contactWithCases,
            },
            evidence: d.evidence,
          },
        ]
      : [],
    entry: e
      ? [
          {
            data: {
              result: e.result,
              fields: e.fields.join(','),
              declaredTripNo: e.declaredTripNo,
              declaredDate: e.declaredDate,
              recordedTripNo: e.recordedTripNo ?? '',
              recordedDate: e.recordedDate ?? '',
            },
            evidence: e.evidence,
          },
        ]
      : [],
  };
}
