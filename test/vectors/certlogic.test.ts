/**
 * The CertLogic conformance suites (../shared/vectors/certlogic, read-only) through our rule engine
 * (src/rule-sets/certlogic.ts). A `directive: "skip"` on a suite, case or assertion means "not part of the
 * specification yet", as the upstream harness treats it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { evaluateRule, validateRule, type CertLogicExpression } from '../../src/rule-sets/certlogic.ts';

const ROOT = new URL('../../../shared/vectors/certlogic/', import.meta.url);

interface Assertion {
  readonly data: unknown;
  readonly expected: unknown;
  readonly message?: string;
  readonly certLogicExpression?: CertLogicExpression;
  readonly directive?: string;
}
interface Suite {
  readonly name: string;
  readonly directive?: string;
  readonly cases: readonly {
    readonly name: string;
    readonly directive?: string;
    readonly certLogicExpression: CertLogicExpression;
    readonly assertions: readonly Assertion[];
  }[];
}
interface ValidationSuite {
  readonly name: string;
  readonly cases: readonly { readonly certLogicExpression: unknown; readonly issues: readonly unknown[] }[];
}

function read<T>(folder: string): [string, T][] {
  const dir = new URL(`${folder}/`, ROOT);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as T]);
}

const SKIP = 'directive "skip": not part of the CertLogic specification yet';

describe('CertLogic evaluation suite', () => {
  for (const [file, suite] of read<Suite>('testSuite')) {
    describe(`${file}: ${suite.name}`, () => {
      for (const c of suite.cases) {
        c.assertions.forEach((a, i) => {
          const skip = suite.directive === 'skip' || c.directive === 'skip' || a.directive === 'skip';
          test(`${c.name} #${i + 1}${a.message ? `: ${a.message}` : ''}`, skip ? { skip: SKIP } : {}, () => {
            assert.deepEqual(
              evaluateRule(a.certLogicExpression ?? c.certLogicExpression, a.data),
              a.expected,
            );
          });
        });
      }
    });
  }
});

describe('CertLogic validation suite', () => {
  for (const [file, suite] of read<ValidationSuite>('validation-testSuite')) {
    describe(`${file}: ${suite.name}`, () => {
      suite.cases.forEach((c, i) => {
        test(`case ${i + 1}: ${JSON.stringify(c.certLogicExpression).slice(0, 60)}`, () => {
          assert.deepEqual(validateRule(c.certLogicExpression), c.issues);
        });
      });
    });
  }
});
