/**
 * Overload protection (issue 14, findings 2 and 5; the policy alone: admission.test.ts): the real app listening on a
 * port — an upload held in flight by a body that is not finished yet refuses the next upload but no holder; holders'
 * requests held open fill the budget class by class; a late event loop sheds details before codes. On PostgreSQL,
 * an upload whose client leaves while the hub still works on it (held there by a table lock).
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
import { isApiPath } from '../../src/http/overload.ts';
import { needsPostgres, startApp, TEST_PG_URL, type TestApp, listenOnLoopback } from '../helpers/context.ts';
import { ALICE, bearer, declaredHolder } from '../helpers/people.ts';

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

/** Department uploads in flight (their own budget). */
const uploadsInFlight = (hub: TestApp) => hub.parts.admission.snapshot().uploads.inFlight;

/** An upload whose body is not finished, once it holds the only slot. */
async function holdUpload(hub: TestApp, base: string, token: string, batchId: string): Promise<Held> {
  const held = upload(base, token, batchId, record('1A'));
  await until(() => uploadsInFlight(hub) === 1, 'the upload to take the slot');
  return held;
}

/** Opens a holder's request whose JSON body never finishes: it holds one of the holders' slots until destroyed. */
function holdBody(base: string, path: string): ClientRequest {
  const req = httpRequest(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': '1000' },
  });
  req.on('error', () => undefined);
  uploads.push(req);
  req.write('{');
  return req;
}

/** Keeps the event loop busy for `ms`, as a burst of work would. */
function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('overload protection in the app: priorities and the busy answer', () => {
  let hub: TestApp;
  let base: string;
  let token: string;
  let alice: string;
  before(async () => {
    hub = await startApp('sqlite', {
      env: {
        MAX_IN_FLIGHT: '4',
        MAX_UPLOADS_IN_FLIGHT: '1',
        BUSY_RETRY_AFTER_SECONDS: '7',
        // Far above any pause of a busy machine: only the test's own busy loops pass it.
        LOOP_DELAY_LIMIT_MS: '4000',
      },
    });
    token = (
      await hub.parts.services.departments.create('国铁集团', 'railway', null, new Date(hub.clock.nowMs))
    ).token;
    alice = await declaredHolder(hub, ALICE);
    base = await listenOnLoopback(hub);
  });
  after(async () => {
    abandonUploads();
    await hub.close();
  });

  const fetchCode = () =>
    fetch(`${base}/api/v1/me/code`, { method: 'POST', headers: bearer(alice) }).then(async (res) => ({
      status: res.status,
      body: await res.text(),
    }));
  const status = (path: string, init?: RequestInit) =>
    fetch(`${base}${path}`, init).then(async (res) => {
      await res.arrayBuffer();
      return res.status;
    });
  const signInAlice = () =>
    status('/api/v1/auth/real-name', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        documentType: 'id_card',
        documentNumber: ALICE.documentNumber,
        name: ALICE.name,
      }),
    });

  test("an upload holding the uploads' budget refuses the next upload with the busy answer, not the holders", async () => {
    const held = await holdUpload(hub, base, token, 'held-1');

    const busy = await fetch(`${base}/api/v1/feeds/railway/batches?batchId=second`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
      body: record('3C'),
    });
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get('retry-after'), '7');
    assert.match(busy.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await busy.json(), {
      error: {
        code: 'YMT_ERR_BUSY',
        message: '系统繁忙，当前查询人数过多，请稍后再试',
        messageEn: 'The system is busy: too many people are querying right now. Please try again shortly.',
      },
    });

    // Showing and verifying a code, declaring and the details are all served meanwhile.
    const code = await fetchCode();
    assert.equal(code.status, 200, code.body);
    const verified = await status('/api/v1/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: (JSON.parse(code.body) as { code: string }).code }),
    });
    assert.equal(verified, 200);
    assert.equal(await signInAlice(), 200);
    assert.equal(await status('/api/v1/provinces'), 200);
    assert.equal(uploadsInFlight(hub), 1);

    held.req.end(record('2B'));
    const done = await held.response;
    assert.equal(done.status, 201, done.body);
    assert.equal((JSON.parse(done.body) as { accepted: number }).accepted, 2);
    await until(() => uploadsInFlight(hub) === 0, 'the slot to be given back');
  });

  test('a client that leaves in the middle of its upload gives its slot back', async () => {
    const held = await holdUpload(hub, base, token, 'held-2');
    held.response.catch(() => undefined);
    held.req.destroy();
    await until(() => uploadsInFlight(hub) === 0, 'the aborted upload to give its slot back');
    // Nothing of the aborted batch was published.
    const report = await fetch(`${base}/api/v1/feeds/railway/batches/held-2`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(report.status, 404);
    await report.arrayBuffer();
  });

  test("the holders' budget: details are shed first, declarations next, codes last", async () => {
    const held = [holdBody(base, '/api/v1/me/declaration'), holdBody(base, '/api/v1/me/declaration')];
    await until(() => hub.parts.admission.inFlight === 2, 'two declarations to take their slots');
    // Half the budget taken: details are shed — before their route or authentication is looked at.
    assert.equal(await status('/api/v1/provinces'), 503);
    assert.equal(await status('/api/v1/no-such-route'), 503);
    assert.equal(await signInAlice(), 200);
    assert.equal((await fetchCode()).status, 200);

    held.push(holdBody(base, '/api/v1/me/declaration'));
    await until(() => hub.parts.admission.inFlight === 3, 'a third declaration to take its slot');
    assert.equal(await signInAlice(), 503, 'three quarters taken: declarations are shed');
    assert.equal((await fetchCode()).status, 200, 'the last quarter is kept for codes');

    held.push(holdBody(base, '/api/v1/me/code'));
    await until(() => hub.parts.admission.inFlight === 4, 'the whole budget to be taken');
    assert.equal((await fetchCode()).status, 503);
    // Liveness, readiness, trust material, the spec and the page are never shed.
    for (const path of ['/healthz', '/readyz', '/.well-known/yimatong/trust-list', '/openapi.json', '/'])
      assert.equal(await status(path), 200, path);

    for (const req of held) req.destroy();
    await until(() => hub.parts.admission.inFlight === 0, 'the slots to be given back');
    assert.equal(await status('/api/v1/provinces'), 200);
    const shed = hub.parts.admission.snapshot();
    assert.ok(shed.details.shed >= 2 && shed.declarations.shed >= 1 && shed.codes.shed >= 1);
    assert.ok(hub.parts.metrics.snapshot(hub.clock.now()).minutes.some((m) => m.busy >= 4));
  });

  test('a late event loop sheds details and uploads first, then declarations, codes last', async () => {
    const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}) =>
      hub.app.inject({ method, url, headers }).then((r) => r.statusCode);
    const round = () =>
      Promise.all([
        inject('GET', '/api/v1/provinces'),
        inject('POST', '/api/v1/feeds/railway/batches?batchId=late', {
          ...bearer(token),
          'content-type': 'application/x-ndjson',
        }),
        inject('GET', '/api/v1/me/declaration', bearer(alice)),
        inject('POST', '/api/v1/me/code', bearer(alice)),
      ]);
    // Two long turns in a row (one alone is a hiccup, not a queue); the requests are admitted or not within the
    // second, before the monitor's timer runs again.
    busyFor(2300);
    await sleep(0);
    busyFor(2300);
    const [details, upload, declaration, code] = await round();
    assert.equal(details, 503);
    assert.equal(upload, 503);
    assert.notEqual(declaration, 503);
    assert.equal(code, 200);

    busyFor(3300);
    await sleep(0);
    busyFor(3300);
    const late = await round();
    assert.deepEqual(late.slice(0, 3), [503, 503, 503]);
    assert.equal(late[3], 200, 'codes are served while the loop is late by less than LOOP_DELAY_LIMIT_MS');

    // A single long turn after quiet ones sheds nothing (once the monitor's memory holds only quiet ticks).
    while (hub.parts.loop.lateLatelyMs > 100) await sleep(10);
    busyFor(2300);
    const after = await round();
    assert.equal(after[0], 200, 'on time again: details are served');
    assert.equal(after[3], 200);
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
    assert.equal(uploadsInFlight(hub), 1);

    left.req.destroy();
    await until(() => uploadsInFlight(hub) === 0, 'the slot to be given back', 1000);

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
    assert.equal(uploadsInFlight(hub), 1, 'the slot the second upload holds is still taken');
    held.req.end(record('2B'));
    assert.equal((await held.response).status, 201);
    await until(() => uploadsInFlight(hub) === 0, 'the slot to be given back');
  });
});
