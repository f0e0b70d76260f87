/**
 * A worker of `serve --workers` whose primary died ends instead of living on: it ignores SIGTERM, and it held the
 * test runner's pipes open (test/cli/serve-workers.test.ts once waited 20 minutes for such a worker, stuck in
 * `listen`, which asks the dead primary for the port). Both moments: while it starts, and when it waits for the word
 * to stop after its primary's channel had already closed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SERVE_WORKERS = fileURLToPath(new URL('../../src/cli/serve-workers.ts', import.meta.url));

/** Runs `body` in a child with an IPC channel its parent closes at once; its exit code and output, or 'hung'. */
async function orphan(body: string): Promise<{ exit: number | null | 'hung'; out: string }> {
  const script = `const w = await import(${JSON.stringify(SERVE_WORKERS)});\n${body}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  child.disconnect();
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exit = await Promise.race([
    new Promise<number | null>((resolve) => child.on('exit', resolve)),
    new Promise<'hung'>((resolve) =>
      setTimeout(() => {
        resolve('hung');
      }, 60_000).unref(),
    ),
  ]);
  child.kill('SIGKILL');
  return { exit, out };
}

test('a worker still starting (stuck as in listen) exits 1 when its primary is gone', async () => {
  const r = await orphan(`process.stdout.write('starting');
    try { w.exitIfOrphanedWhileStarting(); } catch { process.exit(2); }
    setInterval(() => undefined, 1000); // a listen that never completes
    await new Promise(() => undefined);`);
  assert.deepEqual(r, { exit: 1, out: 'starting' });
});

test('a ready worker whose channel closed before it waited for the word stops at once', async () => {
  const r = await orphan(`setInterval(() => undefined, 1000); // the server
    await new Promise((resolve) => setTimeout(resolve, 300));
    await w.untilStopped();
    process.stdout.write('stopped');
    process.exit(0);`);
  assert.deepEqual(r, { exit: 0, out: 'stopped' });
});
