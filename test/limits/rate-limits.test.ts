/**
 * Issue 14, finding 4: real-name sign-in could be guessed (3 209 wrong names a second against one ID number, all
 * answered 401, none limited; the right name then succeeded). Now, through the real app on both engines: a few
 * failures, then growing delays answered `429 YMT_ERR_RATE_LIMITED` with `Retry-After` — the right name included,
 * while the lock holds — and the holder signs in once it has passed; a client guessing across many documents is
 * locked too; a session flooding code requests is refused, a holder re-showing their code is not. With Redis the
 * limits are shared: failures at one hub instance lock the document at another.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { BUDGETS, delayAfter, FAILURES } from '../../src/limits/rate-limits.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { redisForSuite, TEST_REDIS_URL } from '../helpers/redis.ts';
import { bearer, declaredHolder, idNumber, person, register } from '../helpers/people.ts';

const HOLDER = person('吴敏', '44030519900101555', '13900000031');

/** A sign-in from a client address (each test its own: the per-client count is the address's). */
const attempt = (app: FastifyInstance, p: typeof HOLDER, name: string, client = '10.0.0.1') =>
  app.inject({
    method: 'POST',
    remoteAddress: client,
    url: '/api/v1/auth/real-name',
    payload: { documentType: p.documentType, documentNumber: p.documentNumber, name },
  });

/** A wrong name that is still a valid name. */
const wrongName = (i: number) =>
  `错名${'甲乙丙丁戊己庚辛壬癸'.charAt(i % 10)}${'子丑寅卯辰巳午未申酉'.charAt(Math.floor(i / 10) % 10)}`;

const code = (r: { json: () => unknown }) => (r.json() as { error?: { code: string } }).error?.code;

describe('growing delays', () => {
  test('2, 4, 8 … seconds after the free failures, never more than five minutes', () => {
    assert.deepEqual([1, 2, 3, 4].map(delayAfter), [2, 4, 8, 16]);
    assert.equal(delayAfter(40), FAILURES.maxDelaySeconds);
  });
});

for (const engine of ENGINES) {
  describe(`rate limits (${engine})`, () => {
    let hub: TestApp;
    before(async () => {
      hub = await startApp(engine);
      await register(hub.parts, HOLDER);
    });
    after(() => hub.close());

    test('a name guessed for one ID number: a few failures, then 429 with Retry-After; the holder gets in after', async () => {
      for (let i = 0; i < FAILURES.perDocument.free + 1; i++) {
        const r = await attempt(hub.app, HOLDER, wrongName(i));
        assert.equal(r.statusCode, 401, r.body);
      }
      // Locked: the right name too is not even tried.
      const locked = await attempt(hub.app, HOLDER, HOLDER.name);
      assert.equal(locked.statusCode, 429, locked.body);
      assert.equal(code(locked), 'YMT_ERR_RATE_LIMITED');
      const wait = Number(locked.headers['retry-after']);
      assert.ok(wait >= 1 && wait <= delayAfter(1), `Retry-After ${String(wait)}`);
      await new Promise((r) => setTimeout(r, wait * 1000 + 100));
      const ok = await attempt(hub.app, HOLDER, HOLDER.name);
      assert.equal(ok.statusCode, 200, ok.body);
      // A success clears the document's count: the next mistake is an ordinary 401.
      assert.equal((await attempt(hub.app, HOLDER, '又错了')).statusCode, 401);
    });

    test('one client guessing across many ID numbers is locked as a client', async () => {
      const others = Array.from({ length: FAILURES.perClient.free + 1 }, (_, i) =>
        person('某某人', `11010519800101${String(100 + i)}`, '13900000000'),
      );
      const answers: number[] = [];
      for (const p of others) answers.push((await attempt(hub.app, p, '猜测者', '10.0.0.2')).statusCode);
      assert.ok(
        answers.slice(0, FAILURES.perClient.free).every((s) => s === 401),
        answers.join(','),
      );
      const next = await attempt(
        hub.app,
        person('又一人', '11010519800102999', '13900000000'),
        '猜测者',
        '10.0.0.2',
      );
      assert.equal(next.statusCode, 429, next.body);
      assert.ok(Number(next.headers['retry-after']) >= 1);
    });

    test('a session flooding code requests is refused; the holder re-showing a code is not', async () => {
      const p = person('郑洁', '44030519920202666', '13900000032');
      const token = await declaredHolder(hub, p);
      const show = () => hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(token) });
      for (let i = 0; i < 5; i++) assert.equal((await show()).statusCode, 200);
      let refused: Awaited<ReturnType<typeof show>> | undefined;
      for (let i = 0; i < BUDGETS.codes.points + 5 && !refused; i++) {
        const r = await show();
        if (r.statusCode === 429) refused = r;
        else assert.equal(r.statusCode, 200, r.body);
      }
      assert.ok(refused, 'a flood from one session is limited');
      assert.equal(code(refused), 'YMT_ERR_RATE_LIMITED');
      assert.ok(Number(refused.headers['retry-after']) >= 1);
    });
  });
}

const REDIS_URL = TEST_REDIS_URL;
const redisUp = await redisForSuite('the shared-limits suite');

describe('rate limits shared through Redis', { skip: !redisUp }, () => {
  let a: TestApp;
  let b: TestApp;
  const p = person('冯涛', idNumber('44030519880303777').slice(0, 17), '13900000033');
  before(async () => {
    // Two hub instances configured alike (the same data keys, as a deployment's instances are; each its own
    // SQLite file here: what is shared is the limits, in Redis).
    const keys = {
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DATA_INDEX_KEY: randomBytes(32).toString('base64'),
    };
    a = await startApp('sqlite', { env: { REDIS_URL, ...keys } });
    b = await startApp('sqlite', { env: { REDIS_URL, ...keys } });
    await register(a.parts, p);
    await register(b.parts, p);
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  test('failures at one instance lock the document at the other', async () => {
    for (let i = 0; i < FAILURES.perDocument.free + 1; i++)
      assert.equal((await attempt(a.app, p, wrongName(i + 20))).statusCode, 401);
    const atB = await attempt(b.app, p, p.name);
    assert.equal(atB.statusCode, 429, atB.body);
    assert.ok((await b.parts.limits.redisUp()) === true);
    // An operator sees both: Redis up, and the refusal counted where it happened.
    const metrics = (await b.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' })).body;
    assert.match(metrics, /^ymt_redis_up 1$/m);
    assert.match(metrics, /^ymt_rate_limit_hits_total\{limit="failures"\} 1$/m);
  });

  test('the nonce of a signed request used at one instance is a replay at the other', async () => {
    const nonce = randomBytes(16).toString('base64url');
    const now = Date.now();
    assert.equal(await a.parts.nonces.remember('440000', nonce, now), true);
    assert.equal(await b.parts.nonces.remember('440000', nonce, now), false);
    assert.equal(await a.parts.nonces.remember('440000', nonce, now), false);
  });
});
