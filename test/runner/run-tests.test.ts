/**
 * scripts/run-tests.mjs, as `npm test` and `npm run test:unit` run it: which files are unit tests, and what a run
 * does when PostgreSQL does not answer (port 1 on the loopback: nothing listens there).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOWHERE = 'postgres://postgres@127.0.0.1:1/test';

/**
 * Runs the runner; `env` adds to this process's environment, and an undefined value removes the variable.
 * NODE_TEST_CONTEXT, which Node's test runner gives this file, would make the inner run report to it instead.
 */
function runner(args: string[], env: Record<string, string | undefined> = {}) {
  const merged: Record<string, string | undefined> = { ...process.env, NODE_TEST_CONTEXT: undefined, ...env };
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', ...args], {
    cwd: ROOT,
    env: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/run-tests.mjs', () => {
  test('--list marks unit tests, and the reason the others are not', () => {
    const r = runner(['--list']);
    assert.equal(r.status, 0, r.stderr);
    const marks = new Map(
      r.stdout
        .trim()
        .split('\n')
        .map((line) => {
          const [mark = '', file = '', ...why] = line.split(/\s+/);
          return [file, { mark, why: why.join(' ') }];
        }),
    );
    assert.equal(marks.get('test/codec/base45.test.ts')?.mark, 'unit');
    assert.equal(marks.get('test/vectors/certlogic.test.ts')?.mark, 'unit');
    const others: [string, RegExp][] = [
      ['test/http/overload.test.ts', /helpers\/context\.ts/],
      ['test/cli/cli.test.ts', /yimatong CLI/],
      ['test/feeds/sqlite-batch-writer.test.ts', /child_process/],
      ['test/codec/browser-bundle.test.ts', /esbuild/],
      ['test/runner/run-tests.test.ts', /child_process/],
    ];
    for (const [file, why] of others) {
      assert.equal(marks.get(file)?.mark, 'other', file);
      assert.match(marks.get(file)?.why ?? '', why, file);
    }
    for (const [file, { mark }] of marks) if (file.startsWith('test/web/')) assert.equal(mark, 'other', file);

    const unit = runner(['--list', '--unit']);
    assert.equal(unit.status, 0, unit.stderr);
    const listed = unit.stdout.trim().split('\n');
    assert.deepEqual(
      listed,
      [...marks].filter(([, m]) => m.mark === 'unit').map(([file]) => `unit   ${file}`),
    );
  });

  test('with CI=true, a run without PostgreSQL fails at once and says where it looked', () => {
    const r = runner(['test/feeds/pg-batch-writer'], { CI: 'true', TEST_DATABASE_URL: NOWHERE });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /PostgreSQL not reachable at postgres:\/\/postgres@127\.0\.0\.1:1\/test/);
    assert.match(r.stderr, /CI=true/);
    assert.match(r.stderr, /apt-get install postgresql/);
    assert.equal(r.stdout, '', 'no test ran');
  });

  test('otherwise it runs SQLite alone, says so before and after, and skips the PostgreSQL suites', () => {
    const r = runner(['test/feeds/pg-batch-writer'], {
      CI: undefined,
      YMT_TEST_ENGINES: undefined,
      TEST_DATABASE_URL: NOWHERE,
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const banners = r.stderr.match(/the PostgreSQL half of the data-layer tests was SKIPPED/g) ?? [];
    assert.equal(banners.length, 2, r.stderr);
    assert.match(r.stdout, /the PostgreSQL batch writer .*# needs PostgreSQL, left out of this run/);
    assert.match(r.stdout, /ℹ fail 0/);
  });
});
