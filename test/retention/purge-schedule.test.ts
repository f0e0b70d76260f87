/**
 * The purge in the running hub (src/cli/server-lifecycle.ts purgePeriodically), on Node's mock timers: a minute
 * after start, then every RETENTION_INTERVAL_MINUTES, one round at a time; a round another process ran is logged as
 * skipped; stopping it stops the rounds.
 */
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { purgePeriodically } from '../../src/cli/server-lifecycle.ts';

test('a minute after start, then every interval; one at a time; stop ends it', async () => {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  try {
    const logged: string[] = [];
    const app = {
      log: { info: (_o: unknown, m?: string) => logged.push(m ?? String(_o)), error: () => undefined },
    } as unknown as FastifyInstance;
    let calls = 0;
    let finish: (r: Record<string, number> | undefined) => void = () => undefined;
    const retention = {
      purge: () => {
        calls++;
        return new Promise<Record<string, number> | undefined>((r) => (finish = r));
      },
    };
    const stop = purgePeriodically(retention, () => new Date(), app, 60);
    mock.timers.tick(59_000);
    assert.equal(calls, 0);
    mock.timers.tick(1_000);
    assert.equal(calls, 1);
    // Still running an hour later: no second round beside it.
    mock.timers.tick(3_600_000);
    assert.equal(calls, 1);
    finish({ railway: 3 });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(logged, ['purged expired data']);
    mock.timers.tick(3_600_000);
    assert.equal(calls, 2);
    finish(undefined);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(logged, ['purged expired data', 'purge skipped: another process is purging']);
    stop();
    mock.timers.tick(10 * 3_600_000);
    assert.equal(calls, 2);
  } finally {
    mock.timers.reset();
  }
});
