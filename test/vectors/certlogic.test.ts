/**
 * The CertLogic conformance suites (../shared/vectors/certlogic, read-only) through our rule engine
 * (src/rule-sets/certlogic.ts). A `directive: "skip"` on a suite, case or assertion means "not part of the
 * specification yet", as the upstream harness treats it.
 *
 * The vectors come with the development workspace (the `shared` folder beside this repository), not with the
 * repository: in a clone alone, both suites are reported as skipped, with the folder they looked for.
 * YMT_SHARED_VECTORS points the suites at another copy of the vectors folder.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { evaluateRule, validateRule, type CertLogicExpression } from '../../src/rule-sets/certlogic.ts';

const VECTORS = process.env.YMT_SHARED_VECTORS
  ? pathToFileURL(`${process.env.YMT_SHARED_VECTORS.replace(/\/$/, '')}/`)
  : new URL('../../../shared/vectors/', import.meta.url);
const ROOT = new URL('certlogic/', VECTORS);
/** Why the suites cannot run here, or undefined when the vectors are present. */
const MISSING = existsSync(ROOT)
  ? undefined
  : `peer-project vectors not found: ${ROOT.pathname} is missing. They come with the development workspace ` +
    '(../shared/vectors beside this repository), not with the repository itself';

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

/** Without the vectors: one skipped test that says why, in place of the suite's tests. */
function reportMissing(): boolean {
  if (MISSING === undefined) return false;
  test('the vectors', { skip: MISSING }, () => undefined);
  return true;
}

describe('CertLogic evaluation suite', () => {
  if (reportMissing()) return;
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
  if (reportMissing()) return;
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
