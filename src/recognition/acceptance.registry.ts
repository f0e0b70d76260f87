/** The acceptance rule sets shipped with the hub, loaded and validated once (docs/rules.md#acceptance-rules). */
import beijing from './rules/110000.acceptance.json' with { type: 'json' };
import national from './rules/national.acceptance.json' with { type: 'json' };
import { loadAcceptanceRuleSet, type AcceptanceRuleSet } from './acceptance.rules.ts';

function load(doc: unknown, name: string): AcceptanceRuleSet {
  const r = loadAcceptanceRuleSet(doc);
  if (!r.ok) throw new Error(`the acceptance rule set ${name} is invalid: ${JSON.stringify(r.problems)}`);
  return r.ruleSet;
}

export const SHIPPED_ACCEPTANCE_RULE_SETS: readonly AcceptanceRuleSet[] = [
  load(national, 'national'),
  load(beijing, '110000'),
];
