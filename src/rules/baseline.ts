/** The national baseline rule set, loaded and validated once. */
import doc from './baseline.rules.json' with { type: 'json' };
import { loadRuleSet, type RuleSet } from './rule-set.ts';

function load(): RuleSet {
  const r = loadRuleSet(doc);
  if (!r.ok) throw new Error(`the baseline rule set is invalid: ${JSON.stringify(r.problems)}`);
  return r.ruleSet;
}

export const BASELINE_RULE_SET: RuleSet = load();
