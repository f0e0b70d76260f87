/**
 * Rule sets: versioned documents (docs/rules.md) of CertLogic rules with named parameters. Loading substitutes
 * every `{"param": "name"}` with the parameter's value and validates the result, returning every problem as data.
 */
import type { Colour } from '../codec/token.ts';
import { validateRule, type CertLogicExpression } from './certlogic.ts';
import { EVIDENCE_KINDS, type EvidenceKind } from '../risk/evidence.ts';

export interface Rule {
  readonly id: string;
  readonly colour: Colour;
  /** The evidence the rule runs over, once per item. */
  readonly over: EvidenceKind;
  readonly when: CertLogicExpression;
  /** Reason texts; `{name}` is replaced by the item's field `name`. */
  readonly text: string;
  readonly textEn: string;
}

export interface RuleSet {
  readonly id: string;
  readonly version: string;
  /** Milliseconds since the epoch. */
  readonly validFrom: number;
  readonly parameters: Readonly<Record<string, number | string>>;
  readonly rules: readonly Rule[];
}

export interface RuleSetProblem {
  readonly path: string;
  readonly message: string;
}

const COLOURS = new Set(['green', 'yellow', 'red']);

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Replaces `{"param": "name"}` everywhere in an expression; names not in `params` go to `missing`. */
function substitute(expr: unknown, params: Readonly<Record<string, unknown>>, missing: string[]): unknown {
  if (Array.isArray(expr)) return expr.map((e) => substitute(e, params, missing));
  if (isRecord(expr)) {
    const keys = Object.keys(expr);
    if (keys.length === 1 && keys[0] === 'param' && typeof expr.param === 'string') {
      if (!Object.hasOwn(params, expr.param)) missing.push(expr.param);
      return params[expr.param];
    }
    return Object.fromEntries(Object.entries(expr).map(([k, v]) => [k, substitute(v, params, missing)]));
  }
  return expr;
}

type Problem = (path: string, message: string) => void;

/**
 * The members every rule set document has — `id`, `version` (x.y.z), `validFrom` (ISO 8601) and `parameters`
 * (integers or strings; `required` says whether the member must be there) — checked into `problem`.
 */
export function ruleSetHeader(
  doc: Record<string, unknown>,
  problem: Problem,
  parametersRequired: boolean,
): { validFrom: number; params: Record<string, unknown> } {
  if (typeof doc.id !== 'string' || doc.id === '') problem('id', 'must be a non-empty string');
  if (typeof doc.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(doc.version))
    problem('version', 'must be x.y.z');
  const validFrom = typeof doc.validFrom === 'string' ? Date.parse(doc.validFrom) : NaN;
  if (Number.isNaN(validFrom)) problem('validFrom', 'must be an ISO 8601 time');
  const params = isRecord(doc.parameters) ? doc.parameters : {};
  if (!isRecord(doc.parameters) && (parametersRequired || doc.parameters !== undefined))
    problem('parameters', 'must be an object');
  for (const [k, v] of Object.entries(params)) {
    if (!(typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))) {
      problem(`parameters.${k}`, 'must be an integer or a string (CertLogic compares integers only)');
    }
  }
  return { validFrom, params };
}

/**
 * The rules of a document, each checked for the members every rule has — an UPPER_SNAKE_CASE `id` unique in its
 * set, `text` and `textEn`, and `when` with its parameters substituted and validated — and then by `rest` for
 * the members of its kind. Problems go to `problem`.
 */
export function parseRules<T>(
  rules: unknown,
  params: Readonly<Record<string, unknown>>,
  problem: Problem,
  rest: (
    r: Record<string, unknown>,
    at: string,
    common: { id: string; when: CertLogicExpression; text: string; textEn: string },
  ) => T,
): T[] {
  const seen = new Set<string>();
  const parsed: T[] = [];
  (Array.isArray(rules) ? rules : []).forEach((r: unknown, i) => {
    const at = `rules[${i}]`;
    if (!isRecord(r)) {
      problem(at, 'must be an object');
      return;
    }
    const id = typeof r.id === 'string' && /^[A-Z][A-Z0-9_]*$/.test(r.id) ? r.id : undefined;
    if (id === undefined) problem(`${at}.id`, 'must be an UPPER_SNAKE_CASE string');
    else if (seen.has(id)) problem(`${at}.id`, `duplicate rule id ${id}`);
    else seen.add(id);
    if (typeof r.text !== 'string' || typeof r.textEn !== 'string')
      problem(`${at}.text`, 'text and textEn are required');
    const missing: string[] = [];
    const when = substitute(r.when, params, missing);
    for (const m of missing) problem(`${at}.when`, `unknown parameter ${m}`);
    for (const p of r.when === undefined ? [{ message: 'is required' }] : validateRule(when)) {
      problem(`${at}.when`, p.message);
    }
    parsed.push(
      rest(r, at, {
        id: String(r.id),
        when: when as CertLogicExpression,
        text: String(r.text),
        textEn: String(r.textEn),
      }),
    );
  });
  return parsed;
}

export function loadRuleSet(
  doc: unknown,
): { ok: true; ruleSet: RuleSet } | { ok: false; problems: RuleSetProblem[] } {
  const problems: RuleSetProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  if (!isRecord(doc)) return { ok: false, problems: [{ path: '', message: 'a rule set must be an object' }] };
  const { validFrom, params } = ruleSetHeader(doc, problem, true);
  if (!Array.isArray(doc.rules) || doc.rules.length === 0) problem('rules', 'must be a non-empty array');
  const rules = parseRules(doc.rules, params, problem, (r, at, common): Rule => {
    if (typeof r.colour !== 'string' || !COLOURS.has(r.colour))
      problem(`${at}.colour`, 'must be green, yellow or red');
    if (!EVIDENCE_KINDS.includes(r.over as EvidenceKind))
      problem(`${at}.over`, `must be one of ${EVIDENCE_KINDS.join(', ')}`);
    return { ...common, colour: r.colour as Colour, over: r.over as EvidenceKind };
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    ruleSet: {
      id: doc.id as string,
      version: doc.version as string,
      validFrom,
      parameters: params as Record<string, number | string>,
      rules,
    },
  };
}
