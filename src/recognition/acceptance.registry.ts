/**
 * The acceptance rule sets shipped with the hub, loaded and validated once (docs/rules.md#acceptance-rules): the
 * national set alone, so that every province recognises a valid green code of any issuer until it publishes rules
 * of its own ("一码通行": recognition by default). Stricter sets are examples a province may publish
 * (docs/examples/rules/), never shipped.
 */
import national from './rule-sets/national.acceptance.json' with { type: 'json' };
import type { TrustList } from '../codec/trust-list.ts';
import { loadAcceptanceRuleSet, type AcceptanceRuleSet } from './acceptance-rule-set.ts';

function load(doc: unknown, name: string): AcceptanceRuleSet {
  const r = loadAcceptanceRuleSet(doc);
  if (!r.ok) throw new Error(`the acceptance rule set ${name} is invalid: ${JSON.stringify(r.problems)}`);
  return r.ruleSet;
}

/** The documents as shipped: what the trust list distributes to checkpoints (with the published ones). */
export const SHIPPED_ACCEPTANCE_RULE_DOCS: readonly Readonly<Record<string, unknown>>[] = [national];

export const SHIPPED_ACCEPTANCE_RULE_SETS: readonly AcceptanceRuleSet[] = [load(national, 'national')];

/** Loads rule set documents received with a trust list; every one must be valid, or none is used. */
export function loadAcceptanceRuleSets(
  docs: readonly unknown[],
): { ok: true; sets: AcceptanceRuleSet[] } | { ok: false; problem: string } {
  const sets: AcceptanceRuleSet[] = [];
  for (const [i, doc] of docs.entries()) {
    const r = loadAcceptanceRuleSet(doc);
    if (!r.ok) return { ok: false, problem: `acceptanceRules[${i}]: ${JSON.stringify(r.problems)}` };
    sets.push(r.ruleSet);
  }
  return { ok: true, sets };
}

const ofTrustList = new WeakMap<TrustList, readonly AcceptanceRuleSet[]>();

/**
 * The rule sets a loaded trust list carries (the shipped ones and every province's published ones), validated
 * once per list. A list without rules, or with a set that does not validate, gives the shipped sets.
 */
export function acceptanceRuleSetsOf(list: TrustList): readonly AcceptanceRuleSet[] {
  let sets = ofTrustList.get(list);
  if (!sets) {
    const r = loadAcceptanceRuleSets(list.acceptanceRules);
    sets = r.ok && r.sets.length > 0 ? r.sets : SHIPPED_ACCEPTANCE_RULE_SETS;
    ofTrustList.set(list, sets);
  }
  return sets;
}
