/** The national baseline rule set, loaded and validated once. */
import doc from './baseline.rule-set.json' with { type: 'json' };
import { loadRuleSet, type RuleSet } from '../rule-sets/rule-set.ts';

function load(): RuleSet {
  const r = loadRuleSet(doc);
  if (!r.ok) throw new Error(`the baseline rule set is invalid: ${JSON.stringify(r.problems)}`);
  return r.ruleSet;
}

export const BASELINE_RULE_SET: RuleSet = load();

/** A numeric parameter of the baseline (windowDays, stayHours…), shared by the code that works beside the rules. */
export function baselineNumber(name: 'windowDays' | 'stayHours'): number {
  const v = BASELINE_RULE_SET.parameters[name];
  if (typeof v !== 'number') throw new Error(`the baseline rule set has no numeric parameter ${name}`);
  return v;
}
