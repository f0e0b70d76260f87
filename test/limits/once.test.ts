/**
 * What must be seen once by the whole hub (src/limits/once.ts): in memory, and through a cluster's primary for its
 * workers (`serve --workers`). Through Redis for several instances: rate-limits.test.ts, beside the shared limits.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MemoryOnce } from '../../src/limits/once.ts';

test('in memory: the first time within the window only; again once the window has passed', async () => {
  const once = new MemoryOnce();
  assert.equal(await once.firstTime('k', 1000, 0), true);
  assert.equal(await once.firstTime('k', 1000, 999), false);
  assert.equal(await once.firstTime('other', 1000, 999), true);
  assert.equal(await once.firstTime('k', 1000, 1001), true);
});

test('through the primary: of two workers asking about one key, exactly one hears "first"', () => {
  const fixture = fileURLToPath(new URL('./once-cluster.fixture.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const answers = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { shared: boolean; own: boolean; again: boolean });
  assert.equal(answers.length, 2);
  assert.deepEqual(answers.map((a) => a.shared).sort(), [false, true]);
  assert.deepEqual(
    answers.map((a) => [a.own, a.again]),
    [
      [true, false],
      [true, false],
    ],
  );
});
