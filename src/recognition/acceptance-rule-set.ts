/**
 * Acceptance rules (MISSION.md Q1.5, Q7): which codes a province's checkpoints accept, as data in the same rule
 * language as the status rules (CertLogic, docs/rules.md). A rule set is versioned and takes effect at its
 * `validFrom`; its rules are tried in order and the first whose `when` holds decides — accept, refuse or a
 * manual check — with its reason; when none holds, `otherwise` decides. Pure: the clock arrives as data.
 *
 * The data a rule sees:
 *   code:       { iss, colour, issuedAt, expiresAt,      (a verified code; invalid codes are refused before rules)
 *                 national, local }                        (issued by the hub; by the checkpoint's own province)
 *   checkpoint: { region, province }                       (6-digit codes; null without a checkpoint region)
 *   now:        ISO 8601 time
 */
import { evaluateRule, type CertLogicExpression } from '../rule-sets/certlogic.ts';
import { isRecord, parseRules, ruleSetHeader, type RuleSetProblem } from '../rule-sets/rule-set.ts';

export const DECISIONS = ['accept', 'refuse', 'manual'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface AcceptanceRule {
  readonly id: string;
  readonly decision: Decision;
  readonly when: CertLogicExpression;
  readonly text: string;
  readonly textEn: string;
}

export interface AcceptanceRuleSet {
  readonly id: string;
  readonly version: string;
  /** The provincial unit whose checkpoints apply it; null for the national baseline. */
  readonly province: string | null;
  /** Milliseconds since the epoch. */
  readonly validFrom: number;
  readonly rules: readonly AcceptanceRule[];
  readonly otherwise: { readonly decision: Decision; readonly text: string; readonly textEn: string };
}

export interface AcceptanceInput {
  readonly code: {
    readonly iss: string;
    readonly colour: string;
    readonly issuedAt: Date;
    readonly expiresAt: Date;
  };
  readonly checkpoint: { readonly region: string; readonly province: string } | null;
  /** The hub's own issuer id (HUB_ISSUER_ID): codes it issued are the national code. */
  readonly nationalIssuer: string;
}

export interface AcceptanceDecision {
  readonly decision: Decision;
  readonly reasons: readonly { readonly code: string; readonly text: string; readonly textEn: string }[];
  /** `id@version` of the rule set that decided. */
  readonly ruleSet: string;
}

const isDecision = (v: unknown): v is Decision => DECISIONS.includes(v as Decision);

export function loadAcceptanceRuleSet(
  doc: unknown,
): { ok: true; ruleSet: AcceptanceRuleSet } | { ok: false; problems: RuleSetProblem[] } {
  const problems: RuleSetProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  if (!isRecord(doc)) return { ok: false, problems: [{ path: '', message: 'a rule set must be an object' }] };
  const { validFrom, params } = ruleSetHeader(doc, problem, false);
  if (!(doc.province === null || (typeof doc.province === 'string' && /^\d{2}0000$/.test(doc.province))))
    problem('province', 'must be a provincial code (NN0000) or null for the national baseline');
  const otherwise = isRecord(doc.otherwise) ? doc.otherwise : {};
  if (!isDecision(otherwise.decision)) problem('otherwise.decision', 'must be accept, refuse or manual');
  if (typeof otherwise.text !== 'string' || typeof otherwise.textEn !== 'string')
    problem('otherwise.text', 'text and textEn are required');
  if (!Array.isArray(doc.rules)) problem('rules', 'must be an array');
  const rules = parseRules(doc.rules, params, problem, (r, at, common): AcceptanceRule => {
    if (!isDecision(r.decision)) problem(`${at}.decision`, 'must be accept, refuse or manual');
    return { ...common, decision: r.decision as Decision };
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    ruleSet: {
      id: doc.id as string,
      version: doc.version as string,
      province: doc.province as string | null,
      validFrom,
      rules,
      otherwise: otherwise as AcceptanceRuleSet['otherwise'],
    },
  };
}

/** JsonLogic truthiness, as CertLogic's `if` and `and` use it. */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

/** Applies a rule set to a verified code at a checkpoint. */
export function decide(set: AcceptanceRuleSet, input: AcceptanceInput, now: Date): AcceptanceDecision {
  const data = {
    code: {
      iss: input.code.iss,
      colour: input.code.colour,
      issuedAt: input.code.issuedAt.toISOString(),
      expiresAt: input.code.expiresAt.toISOString(),
      national: input.code.iss === input.nationalIssuer,
      local: input.checkpoint !== null && input.code.iss === input.checkpoint.province,
    },
    checkpoint: input.checkpoint,
    now: now.toISOString(),
  };
  const ruleSet = `${set.id}@${set.version}`;
  for (const rule of set.rules) {
    if (truthy(evaluateRule(rule.when, data))) {
      return {
        decision: rule.decision,
        reasons: [{ code: rule.id, text: rule.text, textEn: rule.textEn }],
        ruleSet,
      };
    }
  }
  const { decision, text, textEn } = set.otherwise;
  return { decision, reasons: [{ code: 'OTHERWISE', text, textEn }], ruleSet };
}

/**
 * The rule set in force for a checkpoint: the latest version already in effect of its province's sets, or of
 * the national baseline when the province has none in effect (or there is no checkpoint region).
 */
export function ruleSetInForce(
  sets: readonly AcceptanceRuleSet[],
  province: string | null,
  now: Date,
): AcceptanceRuleSet | undefined {
  const inForce = (p: string | null) =>
    sets
      .filter((s) => s.province === p && s.validFrom <= now.getTime())
      .sort((a, b) => b.validFrom - a.validFrom)[0];
  return (province === null ? undefined : inForce(province)) ?? inForce(null);
}
