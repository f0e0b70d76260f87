/**
 * Overload protection: the limiter alone, then the real app listening on a port with MAX_IN_FLIGHT=1, one
 * department upload held in flight by a body that is not finished yet; and, on PostgreSQL, an upload whose
 * client leaves while the hub still works on it (held there by a table lock).
 */
import assert from 'node:assert/strict';
import {
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { InFlightLimiter, isApiPath } from '../../src/http/overload.ts';
import { needsPostgres, startApp, TEST_PG_URL, type TestApp, listenOnLoopback } from '../helpers/context.ts';
import { ALICE } from '../helpers/people.ts';

describe('InFlightLimiter', () => {
  test('grants up to the limit, refuses past it, and a release makes room for one more', () => {
    const limiter = new InFlightLimiter(2);
    assert.equal(limiter.limit, 2);
    assert.equal(limiter.tryAcquire(), true);
    assert.equal(limiter.tryAcquire(), true);
    assert.equal(limiter.inFlight, 2);
    assert.equal(limiter.tryAcquire(), false);
    assert.equal(limiter.inFlight, 2, 'a refusal takes nothing');
    limiter.release();
    assert.equal(limiter.inFlight, 1);
    assert.equal(limiter.tryAcquire(), true);
    assert.equal(limiter.tryAcquire(), false);
    limiter.release();
    limiter.release();
    assert.equal(limiter.inFlight, 0);
  });

  test('a release without an acquire is a bug, and so is a limit that is not a positive integer', () => {
    assert.throws(() => {
      new InFlightLimiter(1).release();
    }, /release without/);
    for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => new InFlightLimiter(bad), RangeError);
  });

  test('only /api/ paths count', () => {
    for (const url of ['/api/v1/provinces', '/api/v1/feeds/railway/batches?batchId=x', '/api/nope'])
      assert.equal(isApiPath(url), true, url);
    for (const url of [
      '/healthz',
      '/.well-known/yimatong/trust-list',
      '/openapi.json',
      '/',
      '/api',
      '/apix/v1',
      '/?next=/api/v1',
    ])
      assert.equal(isApiPath(url), false, url);
  });
});

/** Polls `condition` every 10 ms for at most `ms`. */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  for (let i = 0; i < ms / 10; i++) {
    if (await condition()) return;
    await sleep(10);
  }
  assert.fail(`timed out waiting for ${what}`);
}

const record = (seat: string) =>
  JSON.stringify({
    documentType: 'id_card',
    documentNumber: ALICE.documentNumber,
    trainNo: 'G123',
    date: '2026-11-20',
    carriage: 5,
    seat,
  }) + '\n';

interface Held {
  readonly req: ClientRequest;
  readonly response: Promise<{ status: number; body: string }>;
}

/** Every upload started, so that a failed test leaves none open to hold its hub's close (and the run) up. */
const uploads: ClientRequest[] = [];
const abandonUploads = () => {
  for (const req of uploads.splice(0)) req.destroy();
};

/** Starts a railway upload and sends `first`; the body stays open until the caller ends the request. */
function upload(base: string, token: string, batchId: string, first: string): Held {
  const req = httpRequest(`${base}/api/v1/feeds/railway/batches?batchId=${batchId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
  });
  uploads.push(req);
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  req.write(first);
  return { req, response };
}

/** An upload whose body is not finished, once it holds the only slot. */
async function holdUpload(hub: TestApp, base: string, token: string, batchId: string): Promise<Held> {
  const held = upload(base, token, batchId, record('1A'));
  await until(() => hub.parts.limiter.inFlight === 1, 'the upload to take the slot');
  return held;
}

describe('overload protection in the app (MAX_IN_FLIGHT=1)', () => {
  let hub: TestApp;
  let base: string;
  let token: string;
  before(async () => {
    hub = await startApp('sqlite', { env: { MAX_IN_FLIGHT: '1', BUSY_RETRY_AFTER_SECONDS: '7' } });
    token = (
      await hub.parts.services.departments.create('国铁集团', 'railway', null, new Date(hub.clock.nowMs))
    ).token;
    base = await listenOnLoopback(hub);
  });
  after(async () => {
    abandonUploads();
    await hub.close();
  });

  test('a second /api/ request is refused with 503, Retry-After and YMT_ERR_BUSY; the rest is served', async () => {
    const held = await holdUpload(hub, base, token, 'held-1');

    const busy = await fetch(`${base}/api/v1/provinces`);
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get('retry-after'), '7');
    assert.deepEqual(await busy.json(), {
      error: {
        code: 'YMT_ERR_BUSY',
        message: '系统繁忙，当前查询人数过多，请稍后再试',
        messageEn: 'The system is busy: too many people are querying right now. Please try again shortly.',
      },
    });
    // Refused before anything else: not even its authentication or its route is looked at.
    const unknown = await fetch(`${base}/api/v1/no-such-route`);
    assert.equal(unknown.status, 503);

    // The page too (dist/web: npm test builds it first; a rebuild elsewhere swaps the new build in whole, see
    // scripts/build-web.mjs).
    for (const path of ['/healthz', '/.well-known/yimatong/trust-list', '/openapi.json', '/']) {
      const res = await fetch(`${base}${path}`);
      assert.equal(res.status, 200, path);
      await res.arrayBuffer();
    }
    assert.equal(hub.parts.limiter.inFlight, 1);

    held.req.end(record('2B'));
    const done = await held.response;
    assert.equal(done.status, 201, done.body);
    assert.equal((JSON.parse(done.body) as { accepted: number }).accepted, 2);
    await until(() => hub.parts.limiter.inFlight === 0, 'the slot to be given back');

    const next = await fetch(`${base}/api/v1/provinces`);
    assert.equal(next.status, 200);
    await next.arrayBuffer();
    await until(() => hub.parts.limiter.inFlight === 0, 'the slot to be given back');
    const snapshot = hub.parts.metrics.snapshot(hub.clock.now());
    assert.equal(snapshot.inFlight, 0);
    assert.equal(snapshot.limit, 1);
  });

  test('a client that leaves in the middle of its upload gives its slot back', async () => {
    const held = await holdUpload(hub, base, token, 'held-2');
    held.response.catch(() => undefined);
    held.req.destroy();
    await until(() => hub.parts.limiter.inFlight === 0, 'the aborted upload to give its slot back');

    const next = await fetch(`${base}/api/v1/provinces`);
    assert.equal(next.status, 200);
    await next.arrayBuffer();
    // Nothing of the aborted batch was published.
    const report = await fetch(`${base}/api/v1/feeds/railway/batches/held-2`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(report.status, 404);
    await report.arrayBuffer();
    await until(() => hub.parts.limiter.inFlight === 0, 'the slot to be given back');
  });
});

const LEAVES_ONCE_READ =
  'a client that leaves once its upload is read, while the hub still works on it (PostgreSQL)';
describe(LEAVES_ONCE_READ, needsPostgres(), () => {
  let hub: TestApp;
  let base: string;
  let token: string;
  let locker: pg.Client;
  before(async () => {
    hub = await startApp('postgres', { env: { MAX_IN_FLIGHT: '1' } });
    token = (
      await hub.parts.services.departments.create('国铁集团', 'railway', null, new Date(hub.clock.nowMs))
    ).token;
    base = await listenOnLoopback(hub);
    locker = new pg.Client({ connectionString: TEST_PG_URL });
    await locker.connect();
  });
  after(async () => {
    abandonUploads();
    await locker.end();
    await hub.close();
  });

  const processedAt = async (batchId: string) =>
    (
      await hub.parts.db
        .selectFrom('feed_batches')
        .select('processed_at')
        .where('source', '=', 'railway')
        .where('batch_id', '=', batchId)
        .executeTakeFirst()
    )?.processed_at;

  test('gives its slot back at once, and only once', async () => {
    // The exposure step after publication reads case_trips: while this lock is held, the handler waits there
    // with the whole body read (so no onRequestAbort) and nothing sent (so no onResponse).
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE "${String(hub.schema)}".case_trips IN ACCESS EXCLUSIVE MODE`);
    // The server side of the upload, to see when its handler is done with it.
    let leftResponse: ServerResponse | undefined;
    const watch = (req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.includes('batchId=left') === true) leftResponse = res;
    };
    hub.app.server.on('request', watch);
    const left = upload(base, token, 'left', record('1A'));
    left.response.catch(() => undefined);
    left.req.end();
    await until(
      async () => (await processedAt('left')) === null,
      'the batch to be published and wait for its exposure step',
    );
    assert.equal(hub.parts.limiter.inFlight, 1);

    left.req.destroy();
    await until(() => hub.parts.limiter.inFlight === 0, 'the slot to be given back', 1000);

    // Another upload takes the slot; the first handler, finishing now, must not give it back a second time.
    const held = await holdUpload(hub, base, token, 'next');
    await locker.query('COMMIT');
    await until(
      async () => typeof (await processedAt('left')) === 'number',
      'the first batch to be processed',
    );
    // The handler's last act is its answer: Fastify ends the response (into the closed connection, so neither
    // `finish` nor onResponse follows). Once it has, and the ticks that end() queued have run, nothing of the
    // first request is left that could give a slot back.
    await until(() => leftResponse?.writableEnded === true, 'the first handler to send its answer');
    hub.app.server.off('request', watch);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(hub.parts.limiter.inFlight, 1, 'the slot the second upload holds is still taken');
    held.req.end(record('2B'));
    assert.equal((await held.response).status, 201);
    await until(() => hub.parts.limiter.inFlight === 0, 'the slot to be given back');
  });
});
