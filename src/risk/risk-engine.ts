/**
 * The risk engine: a rule set, the evidence and the clock in; the colour and its reasons out. Pure.
 * Each rule runs once per item of its evidence kind with the data `{now, item}`; a rule that answers `true`
 * gives a reason naming that item's record. The worst colour wins; no reason is green.
 */
import type { Colour } from '../codec/token.ts';
import { evaluateRule } from '../rule-sets/certlogic.ts';
import { ruleItems, type EvidenceBundle, type EvidenceRef } from './evidence.ts';
import type { RuleSet } from '../rule-sets/rule-set.ts';
import { zonedInstant } from '../time/calendar.ts';
import { shanghaiMinute } from '../time/shanghai.ts';

export interface Reason {
  readonly code: string;
  readonly colour: Colour;
  readonly text: string;
  readonly textEn: string;
  readonly evidence: EvidenceRef;
}

export interface Assessment {
  readonly colour: Colour;
  readonly reasons: readonly Reason[];
  readonly ruleSet: string;
}

const RANK: Record<Colour, number> = { green: 0, yellow: 1, red: 2 };

/** Fills `{name}` from the item; instants read as Beijing time to the minute, as the holder's screen shows times. */
export function fill(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = data[name];
    const instant = typeof v === 'string' ? zonedInstant(v) : undefined;
    if (instant !== undefined) return shanghaiMinute(instant);
    return typeof v === 'string' || typeof v === 'number' ? String(v) : whole;
  });
}

export function assess(ruleSet: RuleSet, bundle: EvidenceBundle, now: Date): Assessment {
  const items = ruleItems(bundle);
  const nowText = now.toISOString();
  const reasons: Reason[] = [];
  for (const rule of ruleSet.rules) {
    for (const item of items[rule.over]) {
      if (evaluateRule(rule.when, { now: nowText, item: item.data }) !== true) continue;
      reasons.push({
        code: rule.id,
        colour: rule.colour,
        text: fill(rule.text, item.data),
        textEn: fill(rule.textEn, item.data),
        evidence: item.evidence,
      });
    }
  }
  reasons.sort((a, b) => RANK[b.colour] - RANK[a.colour]);
  const colour = reasons[0]?.colour ?? 'green';
  return { colour, reasons, ruleSet: ruleSetName(ruleSet) };
}

/** `id@version`: how statuses and snapshots name the rule set that decided them. */
export function ruleSetName(ruleSet: Pick<RuleSet, 'id' | 'version'>): string {
  return `${ruleSet.id}@${ruleSet.version}`;
}
