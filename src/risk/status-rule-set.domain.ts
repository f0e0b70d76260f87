/**
 * Status rule sets an operator schedules (docs/rules.md#scheduling-status-rules): which one is in force at a time,
 * and what one must keep to be publishable. Pure.
 */
import { loadRuleSet, type RuleSet, type RuleSetProblem } from '../rule-sets/rule-set.ts';
import { BASELINE_RULE_SET } from './baseline.ts';

/** The set in force at `nowMs`: the latest validFrom not after it (ties: the later in the list). Pure. */
export function statusRuleSetInForce(sets: readonly RuleSet[], nowMs: number): RuleSet {
  let best = BASELINE_RULE_SET;
  for (const s of sets) if (s.validFrom <= nowMs && s.validFrom >= best.validFrom) best = s;
  return best;
}

/**
 * A status rule set an operator may publish: a valid rule set document that keeps the parameters the code beside
 * the rules reads — `stayHours`, and `windowDays` no longer than the baseline's (evidence is read for that long).
 */
export function checkStatusRuleSet(
  doc: unknown,
): { ok: true; ruleSet: RuleSet } | { ok: false; problems: RuleSetProblem[] } {
  const r = loadRuleSet(doc);
  if (!r.ok) return r;
  const problems: RuleSetProblem[] = [];
  const window = r.ruleSet.parameters.windowDays;
  const baselineWindow = BASELINE_RULE_SET.parameters.windowDays;
  if (
    typeof window !== 'number' ||
    typeof baselineWindow !== 'number' ||
    window < 1 ||
    window > baselineWindow
  )
    problems.push({
      path: 'parameters.windowDays',
      message: `a number of days from 1 to ${String(baselineWindow)} (the window evidence is read for)`,
    });
  if (typeof r.ruleSet.parameters.stayHours !== 'number')
    problems.push({
      path: 'parameters.stayHours',
      message: 'a number of hours (the itinerary check reads it)',
    });
  if (r.ruleSet.id === BASELINE_RULE_SET.id && r.ruleSet.version === BASELINE_RULE_SET.version)
    problems.push({
      path: 'version',
      message: 'the shipped baseline has this id and version: publish a new version',
    });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, ruleSet: r.ruleSet };
}
