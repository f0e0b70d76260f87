/**
 * What publishing a rule set of either kind (status or acceptance) refuses, and how: every problem of the
 * document at its path, in one coded error. Shared by the services that publish (src/risk, src/recognition),
 * whichever entry point — console, province API, command line — called them.
 */
import { AppError, fieldProblem } from '../errors/app-error.ts';
import type { RuleSetProblem } from './rule-set.ts';

/** Why a publication is refused: the document is not valid, or the publisher may not publish it. */
export type RefusalCode = 'YMT_ERR_RULE_SET_INVALID' | 'YMT_ERR_PROVINCE_FORBIDDEN';

export type PublicationCheck<S> =
  | { readonly ok: true; readonly ruleSet: S }
  | { readonly ok: false; readonly code: RefusalCode; readonly problems: readonly RuleSetProblem[] };

/** Rule sets are immutable per id and version: the same document again changes nothing, another one is refused. */
export const VERSION_TAKEN: RuleSetProblem = {
  path: 'version',
  message: 'this id and version exist with another content: publish a new version',
};

/** The refusal of a failed check, each problem as a field problem (its message as the validator wrote it). */
export function refusal(check: { code: RefusalCode; problems: readonly RuleSetProblem[] }): AppError {
  return new AppError(
    check.code,
    check.problems.map((p) => ({
      ...fieldProblem(p.path, check.code),
      message: p.message,
      messageEn: p.message,
    })),
  );
}

/** Whether a stored document is another content than `doc` (rule sets are stored as their JSON text). */
export function isOtherContent(stored: string | undefined, doc: unknown): boolean {
  return stored !== undefined && stored !== JSON.stringify(doc);
}
