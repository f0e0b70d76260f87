/** Request metrics: the latency histogram's precision, the one-minute buckets, and what the app records. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  LATENCY_RELATIVE_ERROR,
  LatencyHistogram,
  RequestMetrics,
  type InFlightGauge,
} from '../../src/http/metrics.ts';
import { startApp, type TestApp } from '../helpers/context.ts';

/** Within the histogram's documented precision of `exact`. */
function near(actual: number | undefined | null, exact: number, what: string): void {
  assert.ok(typeof actual === 'number', `${what}: no value`);
  const error = Math.abs(actual - exact) / exact;
  assert.ok(error <= LATENCY_RELATIVE_ERROR + 1e-9, `${what}: ${String(actual)} for ${String(exact)}`);
}

/** The nearest-rank quantile of the samples themselves. */
function exactQuantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] ?? Number.NaN;
}

describe('LatencyHistogram', () => {
  test('p50 and p99 of 1…100 ms are 50 and 99 ms within 4.5 %', () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 100; ms++) h.record(ms);
    assert.equal(h.count, 100);
    assert.ok(LATENCY_RELATIVE_ERROR < 0.045);
    near(h.quantile(0.5), 50, 'p50');
    near(h.quantile(0.99), 99, 'p99');
  });

  test('a few slow responses show in p99, not in p50', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 980; i++) h.record(5);
    for (let i = 0; i < 20; i++) h.record(800);
    near(h.quantile(0.5), 5, 'p50');
    near(h.quantile(0.99), 800, 'p99');
  });

  test('any spread of samples, from 0.1 ms to 100 s: every quantile within the documented precision', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 20; round++) {
      const h = new LatencyHistogram();
      const samples = Array.from(
        { length: 1 + Math.floor(random() * 2000) },
        () => 0.1 * 10 ** (6 * random()),
      );
      for (const s of samples) h.record(s);
      for (const q of [0.01, 0.5, 0.9, 0.99, 1])
        near(h.quantile(q), exactQuantile(samples, q), `q${String(q)}`);
    }
  });

  test('empty: no quantile; out of range: clamped to the bounds', () => {
    assert.equal(new LatencyHistogram().quantile(0.5), undefined);
    const low = new LatencyHistogram();
    for (const ms of [0, -3, Number.NaN, 0.01]) low.record(ms);
    assert.equal(low.quantile(1), 2 ** -4);
    const high = new LatencyHistogram();
    high.record(10 ** 9);
    assert.equal(high.quantile(0.5), 2 ** 17);
  });
});

describe('RequestMetrics', () => {
  const gauge: InFlightGauge = { inFlight: 3, limit: 10 };
  const at = (iso: string) => new Date(`2026-11-27T${iso}Z`);

  test('per minute: arrivals, responses by class, refusals, latency; oldest first from the start', () => {
    const m = new RequestMetrics(gauge, at('10:00:30'));
    m.arrived(at('10:00:40'));
    m.arrived(at('10:00:41'));
    m.refused(at('10:00:41'));
    m.responded(at('10:00:41'), 503, 0.2);
    m.responded(at('10:01:00'), 200, 10);
    m.responded(at('10:01:01'), 304, 20);
    m.responded(at('10:01:02'), 404, 30);
    m.responded(at('10:01:03'), 101, 1);
    const s = m.snapshot(at('10:02:05'));
    assert.equal(s.inFlight, 3);
    assert.equal(s.limit, 10);
    assert.equal(s.since, '2026-11-27T10:00:30.000Z');
    assert.deepEqual(
      s.minutes.map((x) => x.minute),
      ['2026-11-27T10:00:00.000Z', '2026-11-27T10:01:00.000Z', '2026-11-27T10:02:00.000Z'],
    );
    const [first, second, third] = s.minutes;
    assert.deepEqual(
      { ...first, p50Ms: undefined, p99Ms: undefined },
      {
        minute: '2026-11-27T10:00:00.000Z',
        requests: 2,
        status: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 1 },
        busy: 1,
        p50Ms: undefined,
        p99Ms: undefined,
      },
    );
    near(first?.p50Ms, 0.2, 'p50 of the first minute');
    assert.deepEqual(second?.status, { '2xx': 1, '3xx': 1, '4xx': 1, '5xx': 0 });
    assert.equal(second.requests, 0, 'responses count in their own minute, arrivals in theirs');
    near(second.p50Ms, 20, 'p50');
    near(second.p99Ms, 30, 'p99');
    assert.deepEqual(third, {
      minute: '2026-11-27T10:02:00.000Z',
      requests: 0,
      status: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
      busy: 0,
      p50Ms: null,
      p99Ms: null,
    });
  });

  test('the last 60 minutes only: an hour later a minute starts again from zero', () => {
    const m = new RequestMetrics(gauge, at('10:00:00'));
    m.arrived(at('10:05:00'));
    m.arrived(at('10:05:01'));
    m.arrived(at('11:05:00'));
    const s = m.snapshot(at('11:05:30'));
    assert.equal(s.minutes.length, 60);
    assert.equal(s.minutes[0]?.minute, '2026-11-27T10:06:00.000Z');
    assert.equal(s.minutes.at(-1)?.minute, '2026-11-27T11:05:00.000Z');
    assert.equal(s.minutes.at(-1)?.requests, 1);
    assert.equal(
      s.minutes.reduce((n, x) => n + x.requests, 0),
      1,
    );
    // A late event for a minute already out of the window is dropped, not mixed into the new one.
    m.arrived(at('10:05:02'));
    assert.equal(m.snapshot(at('11:05:30')).minutes.at(-1)?.requests, 1);
    // Long after: an empty hour.
    const later = m.snapshot(at('15:00:00'));
    assert.equal(later.minutes.length, 60);
    assert.equal(
      later.minutes.reduce((n, x) => n + x.requests, 0),
      0,
    );
  });
});

describe('the app records /api/ requests only', () => {
  let hub: TestApp;
  before(async () => {
    hub = await startApp('sqlite');
  });
  after(() => hub.close());

  test('a 200 and a 404 under /api/ are counted; /healthz, /openapi.json and the page are not', async () => {
    for (const url of ['/healthz', '/openapi.json', '/', '/api/v1/provinces', '/api/v1/nothing-here'])
      await hub.app.inject({ method: 'GET', url });
    const s = hub.parts.metrics.snapshot(hub.clock.now());
    assert.equal(s.inFlight, 0);
    assert.equal(s.limit, 16);
    assert.equal(s.since, hub.clock.now().toISOString());
    assert.equal(s.minutes.length, 1);
    const [now] = s.minutes;
    assert.equal(now?.requests, 2);
    assert.deepEqual(now.status, { '2xx': 1, '3xx': 0, '4xx': 1, '5xx': 0 });
    assert.equal(now.busy, 0);
    assert.ok(typeof now.p50Ms === 'number' && now.p50Ms > 0);
    assert.ok(typeof now.p99Ms === 'number' && now.p99Ms >= now.p50Ms);
  });
});
