/**
 * `/metrics` (issue 14, signals): the Prometheus text an operator scrapes — admission per class, the event loop,
 * the database, Redis, rate limits, peers, feeds — and who may scrape it (loopback, or METRICS_TOKEN).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startApp, type TestApp } from '../helpers/context.ts';

/** The value of the sample `name{labels}` (or `name` without labels) in a scrape. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  let hub: TestApp;
  before(async () => {
    hub = await startApp('sqlite', { env: { MAX_IN_FLIGHT: '2' } });
  });
  after(async () => {
    await hub.close();
  });
  const scrape = async (remoteAddress = '127.0.0.1', headers: Record<string, string> = {}) =>
    hub.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers });

  test('from this machine: every signal in the Prometheus text format', async () => {
    const res = await scrape();
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = res.body;
    for (const p of ['codes', 'declarations', 'details', 'uploads']) {
      assert.equal(sample(text, `ymt_http_in_flight{class="${p}"}`), 0, p);
      assert.equal(sample(text, `ymt_http_shed_total{class="${p}"}`), 0, p);
    }
    assert.equal(sample(text, 'ymt_http_in_flight_cap{class="codes"}'), 2);
    assert.equal(sample(text, 'ymt_http_in_flight_cap{class="details"}'), 1);
    assert.equal(sample(text, 'ymt_http_refusals_paced_total'), 0, 'nobody refused in a loop');
    assert.equal(sample(text, 'ymt_http_refusals_waiting'), 0);
    assert.equal(sample(text, 'ymt_database_up'), 1);
    assert.equal(sample(text, 'ymt_database_pool_errors_total'), 0);
    assert.ok((sample(text, 'ymt_event_loop_delay_seconds') ?? -1) >= 0);
    assert.equal(sample(text, 'ymt_event_loop_delay_limit_seconds'), 0, 'off in tests (TESTS_LOOP_DELAY)');
    assert.equal(sample(text, 'ymt_rate_limit_hits_total{limit="failures"}'), 0);
    // No Redis configured here: no ymt_redis_up series (a configured one says 1 or 0).
    assert.doesNotMatch(text, /^ymt_redis_up /m);
    // Node's own signals beside ours.
    assert.match(text, /^nodejs_eventloop_lag_seconds /m);
    assert.match(text, /^process_resident_memory_bytes /m);
  });

  test('a shed request, a failing peer and a feed batch show at the next scrape', async () => {
    const { admission, peers } = hub.parts;
    assert.equal(admission.tryAdmit('codes'), undefined);
    const busy = await hub.app.inject({ method: 'GET', url: '/api/v1/provinces' });
    assert.equal(busy.statusCode, 503);
    admission.release('codes');
    for (let i = 0; i < 5; i++) peers.failed('http://node.example:8443');
    peers.succeeded('http://other.example:8443');
    const railway = await hub.parts.services.departments.create('国铁集团', 'railway', null, hub.clock.now());
    const upload = await hub.app.inject({
      method: 'POST',
      url: '/api/v1/feeds/railway/batches?batchId=b1',
      headers: { authorization: `Bearer ${railway.token}`, 'content-type': 'application/x-ndjson' },
      payload: '',
    });
    assert.ok(upload.statusCode < 500, upload.body);

    const text = (await scrape()).body;
    assert.equal(sample(text, 'ymt_http_shed_total{class="details"}'), 1);
    assert.ok((sample(text, 'ymt_http_admitted_total{class="uploads"}') ?? 0) >= 1);
    assert.equal(sample(text, 'ymt_peer_up{peer="http://node.example:8443"}'), 0);
    assert.equal(sample(text, 'ymt_peer_failures_total{peer="http://node.example:8443"}'), 5);
    assert.equal(sample(text, 'ymt_peer_up{peer="http://other.example:8443"}'), 1);
    if (upload.statusCode === 201)
      assert.ok((sample(text, 'ymt_feed_last_batch_age_seconds{source="railway"}') ?? -1) >= 0);
    // Counters only grow: a second scrape reports the same totals.
    assert.equal(sample((await scrape()).body, 'ymt_http_shed_total{class="details"}'), 1);
  });

  test('from elsewhere: refused with a coded 403 unless METRICS_TOKEN is sent', async () => {
    const res = await scrape('10.1.2.3');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'YMT_ERR_METRICS_FORBIDDEN');

    const token = 'scrape-me-please-0123456789';
    const withToken = await startApp('sqlite', { env: { METRICS_TOKEN: token } });
    try {
      const ok = await withToken.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '10.1.2.3',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(ok.statusCode, 200);
      for (const [remoteAddress, authorization] of [
        ['10.1.2.3', `Bearer ${token}x`],
        ['127.0.0.1', ''],
      ] as const) {
        const no = await withToken.app.inject({
          method: 'GET',
          url: '/metrics',
          remoteAddress,
          headers: { authorization },
        });
        assert.equal(no.statusCode, 403, `${remoteAddress} ${authorization}`);
      }
    } finally {
      await withToken.close();
    }
  });
});
