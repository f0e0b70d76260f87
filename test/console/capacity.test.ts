/**
 * The console's capacity section (inject, SQLite and PostgreSQL): this process's requests over the last hour and
 * every source's lag, for operators only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES } from '../helpers/context.ts';
import { seedBatches, startConsole, T0, type ConsoleHub } from './console-fixture.ts';

for (const engine of ENGINES) {
  describe(`console: capacity (${engine})`, () => {
    let c: ConsoleHub;
    let hub: ConsoleHub['hub'];
    before(async () => {
      c = await startConsole(engine);
      hub = c.hub;
      await seedBatches(c);
    });
    after(() => c.close());
    const ok = <T>(...a: Parameters<ConsoleHub['ok']>) => c.ok<T>(...a);
    const fails = (...a: Parameters<ConsoleHub['fails']>) => c.fails(...a);

    test("capacity: the process's requests and every source's lag, for operators only", async () => {
      hub.clock.advance(90);
      const c = await ok<{
        requests: { inFlight: number; limit: number; since: string; minutes: { requests: number }[] };
        feedLag: { source: string; lastBatchAt: string | null; lagSeconds: number | null }[];
      }>('operator', 'GET', '/capacity');
      assert.equal(c.requests.limit, hub.parts.config.maxInFlight);
      assert.ok(c.requests.inFlight >= 1, 'this request is in flight');
      assert.ok(c.requests.minutes.reduce((n, m) => n + m.requests, 0) > 0, 'requests were counted');
      const lag = Object.fromEntries(c.feedLag.map((f) => [f.source, [f.lastBatchAt, f.lagSeconds]]));
      assert.deepEqual(Object.keys(lag).sort(), [
        'area-risk',
        'aviation',
        'health',
        'immigration',
        'railway',
        'telecom',
      ]);
      assert.deepEqual(lag.health, [null, null]);
      assert.deepEqual(lag.aviation, [
        new Date(T0 + 120_000).toISOString(),
        (hub.clock.nowMs - T0 - 120_000) / 1000,
      ]);
      await fails('gd', 'GET', '/capacity', 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
    });
  });
}
