/**
 * The rule language: CertLogic, the JsonLogic subset the EU Digital COVID Certificate used to distribute each
 * country's rules as data (docs/rules.md). Evaluation is pure — the clock reaches a rule only as data (for
 * example `{"var": "now"}`) — and the engine is certlogic-js, which passes the whole shared conformance suite
 * (test/vectors/certlogic.test.ts).
 */
import { evaluate, isCertLogicExpression, type CertLogicExpression } from 'certlogic-js';
import { validateFormat } from 'certlogic-js/dist/validation/index.js';

export type { CertLogicExpression };

export interface RuleProblem {
  /** The (sub-)expression at fault. */
  readonly expr: unknown;
  readonly message: string;
}

/** Every format problem of an expression, as data; an empty list means the expression is well-formed. */
export function validateRule(expr: unknown): RuleProblem[] {
  return validateFormat(expr).map((e) => ({ expr: e.expr as unknown, message: e.message }));
}

export function isRule(expr: unknown): expr is CertLogicExpression {
  return isCertLogicExpression(expr);
}

/** Evaluates a validated expression against data. Throws on an expression the engine cannot evaluate. */
export function evaluateRule(expr: CertLogicExpression, data: unknown): unknown {
  return evaluate(expr, data) as unknown;
}
