/**
 * The console's capacity section (inject, SQLite and PostgreSQL): this process's requests over the last hour and
 * every source's lag, for operators only.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENGINES } from '../helpers/context.ts';
import { seedBatches, T0, useConsole } from './console-fixture.ts';

for (const engine of ENGINES) {
  describe(`console: capacity (${engine})`, () => {
    const c = useConsole(engine, async (c) => {
      await seedBatches(c);
    });
    const { ok, fails } = c;

    test("capacity: the process's requests and every source's lag, for operators only", async () => {
      c.hub.clock.advance(90);
      const cap = await ok<{
        requests: { inFlight: number; limit: number; since: string; minutes: { requests: number }[] };
        feedLag: { source: string; lastBatchAt: string | null; lagSeconds: number | null }[];
        signals: {
          classes: { class: string; inFlight: number; cap: number; admitted: number; shed: number }[];
          loop: { p99Ms: number; nowMs: number; limitMs: number };
          database: string;
          redis: string | null;
          rateLimitHits: Record<string, number>;
          peers: unknown[];
        };
      }>('operator', 'GET', '/capacity');
      // The operator's signals, as /metrics has them.
      const { signals } = cap;
      assert.deepEqual(
        signals.classes.map((k) => [k.class, k.cap]),
        [
          ['codes', 16],
          ['declarations', 12],
          ['details', 8],
          ['uploads', 4],
        ],
      );
      const details = signals.classes.find((k) => k.class === 'details');
      assert.ok(
        details && details.inFlight >= 1 && details.admitted >= 1,
        'this request is a detail, in flight',
      );
      assert.equal(signals.loop.limitMs, c.hub.parts.config.loopDelayLimitMs);
      assert.equal(signals.database, 'up');
      assert.equal(signals.redis, null, 'no REDIS_URL here');
      assert.deepEqual(signals.rateLimitHits, { failures: 0, tickets: 0, codes: 0 });
      assert.deepEqual(signals.peers, []);
      assert.equal(cap.requests.limit, c.hub.parts.config.maxInFlight);
      assert.ok(cap.requests.inFlight >= 1, 'this request is in flight');
      assert.ok(cap.requests.minutes.reduce((n, m) => n + m.requests, 0) > 0, 'requests were counted');
      const lag = Object.fromEntries(cap.feedLag.map((f) => [f.source, [f.lastBatchAt, f.lagSeconds]]));
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
        (c.hub.clock.nowMs - T0 - 120_000) / 1000,
      ]);
      await fails('gd', 'GET', '/capacity', 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
    });
  });
}
