/**
 * Person-history fixtures: a sequence of events, and the colour (and reasons) a rule set must give on given
 * days. Every rule set ships with its fixtures (src/risk/*.fixtures.json); test/risk runs them. Pure.
 */
import type { Colour } from '../codec/token.ts';
import type { CaseStatus, CityVisit, CoTravel, EvidenceBundle, EvidenceSource } from './evidence.ts';
import { assess } from './risk-engine.ts';
import type { RuleSet } from '../rule-sets/rule-set.ts';

/** Each event carries `at`: when the evidence reached the hub. */
export type FixtureEvent =
  | { readonly kind: 'health'; readonly at: string; readonly status: CaseStatus }
  | ({ readonly kind: 'coTravel'; readonly at: string } & Omit<CoTravel, 'evidence' | 'kind'> & {
        readonly travel: CoTravel['kind'];
      })
  | ({ readonly kind: 'visit'; readonly at: string } & Omit<CityVisit, 'evidence'>)
  | {
      readonly kind: 'declaration';
      readonly at: string;
      readonly temperature: number;
      readonly symptoms: readonly string[];
      readonly contactWithCases: boolean;
    };

export interface PersonHistory {
  readonly name: string;
  readonly events: readonly FixtureEvent[];
  readonly expect: readonly {
    readonly at: string;
    readonly colour: Colour;
    readonly reasons: readonly string[];
  }[];
}

const SOURCE: Record<FixtureEvent['kind'], EvidenceSource> = {
  health: 'health',
  coTravel: 'railway',
  visit: 'telecom',
  declaration: 'declaration',
};

/** The evidence the hub holds at `now`: every event that had arrived by then. */
export function evidenceAt(events: readonly FixtureEvent[], now: Date): EvidenceBundle {
  const bundle = {
    healthEvents: [] as EvidenceBundle['healthEvents'][number][],
    coTravel: [] as CoTravel[],
    visits: [] as CityVisit[],
    declaration: undefined as EvidenceBundle['declaration'],
  };
  events.forEach((e, i) => {
    if (Date.parse(e.at) > now.getTime()) return;
    const evidence = {
      source: e.kind === 'coTravel' && e.travel !== 'train' ? 'aviation' : SOURCE[e.kind],
      batchId: 'fixture',
      record: i + 1,
    } as const;
    switch (e.kind) {
      case 'health':
        bundle.healthEvents.push({ status: e.status, at: e.at, evidence });
        break;
      case 'coTravel':
        bundle.coTravel.push({ kind: e.travel, tripNo: e.tripNo, date: e.date, evidence });
        break;
      case 'visit':
        bundle.visits.push({
          cityCode: e.cityCode,
          firstSeen: e.firstSeen,
          lastSeen: e.lastSeen,
          areaLevel: e.areaLevel,
          evidence,
        });
        break;
      case 'declaration':
        bundle.declaration = {
          temperature: e.temperature,
          symptoms: e.symptoms,
          contactWithCases: e.contactWithCases,
          evidence,
        };
        break;
    }
  });
  return bundle;
}

/** Every expectation the rule set does not meet, as text; empty when the history passes. */
export function runHistory(ruleSet: RuleSet, history: PersonHistory): string[] {
  return history.expect.flatMap((x) => {
    const now = new Date(x.at);
    const got = assess(ruleSet, evidenceAt(history.events, now), now);
    const reasons = got.reasons.map((r) => r.code).sort();
    const want = [...x.reasons].sort();
    return got.colour === x.colour && JSON.stringify(reasons) === JSON.stringify(want)
      ? []
      : [
          `${history.name} @ ${x.at}: expected ${x.colour} [${want.join(', ')}], got ${got.colour} [${reasons.join(', ')}]`,
        ];
  });
}
