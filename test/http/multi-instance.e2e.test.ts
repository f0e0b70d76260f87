/**
 * Several hub instances — separate processes, as on separate machines — on one PostgreSQL database and one Redis
 * answer as one hub (docs/operations.md#workers, docs/capacity.md#national-scale): a session made at one is good at
 * the other, a code shown at one is the same code at the other and verifies there, failed sign-ins are counted for
 * the hub, and signing out at one ends the session at both.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { needsPostgres, TEST_PG_URL, TESTS_LOOP_DELAY } from '../helpers/context.ts';
import { redisForSuite, TEST_REDIS_URL } from '../helpers/redis.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));
const REDIS_URL = TEST_REDIS_URL;
const ZHANG = { documentType: 'id_card', documentNumber: '110105198503121234', name: '张伟' };
const redisUp = await redisForSuite('the multi-instance suite');
const pgSkip = needsPostgres();

function startInstance(env: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => {
      reject(new Error(`an instance exited (${String(code)}) before it listened`));
    });
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m?.[1]) resolve({ proc, url: m[1] });
    });
  });
}

async function call(
  url: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('two hub instances on one PostgreSQL and one Redis', { skip: pgSkip.skip ?? !redisUp }, () => {
  const database = `ymt_multi_${String(process.pid)}`;
  const dir = mkdtempSync(join(tmpdir(), 'ymt-multi-'));
  const instances: { proc: ChildProcess; url: string }[] = [];
  let a = '';
  let b = '';

  before(async () => {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const env = {
      ...process.env,
      ...TESTS_LOOP_DELAY,
      // One data folder for both: instances share their keys, as docs/operations.md requires.
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: new URL(`/${database}`, TEST_PG_URL).toString(),
      REDIS_URL,
      PORT: '0',
      HOST: '127.0.0.1',
      WORKERS: '1',
      LOG_LEVEL: 'warn',
    };
    // The first loads the demo population into the empty database; the second finds it there.
    instances.push(await startInstance(env));
    instances.push(await startInstance(env));
    a = instances[0]?.url ?? '';
    b = instances[1]?.url ?? '';
  });

  after(async () => {
    await Promise.all(
      instances.map(
        ({ proc }) =>
          new Promise((resolve) => {
            proc.once('exit', resolve);
            proc.kill('SIGTERM');
          }),
      ),
    );
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a session, a code, its verification and a sign-out: the same answers at either instance', async () => {
    assert.notEqual(a, b);
    const signIn = await call(a, '/api/v1/auth/real-name', { method: 'POST', body: ZHANG });
    assert.equal(signIn.status, 200);
    const token = String(signIn.json.token);

    const atB = await call(b, '/api/v1/me/code', { method: 'POST', token });
    assert.equal(atB.status, 200);
    const atA = await call(a, '/api/v1/me/code', { token });
    assert.equal(atA.json.codeId, atB.json.codeId, 'the code shown at B is the one shown again at A');
    assert.equal(atA.json.alreadyApplied, true);

    const healthA = await call(a, '/api/v1/me/health', { token });
    const healthB = await call(b, '/api/v1/me/health', { token });
    assert.equal(healthA.status, 200);
    const withoutTime = (j: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(j).filter(([k]) => k !== 'serverTime'));
    assert.deepEqual(withoutTime(healthA.json), withoutTime(healthB.json));

    for (const url of [a, b]) {
      const verified = await call(url, '/api/v1/verify', { method: 'POST', body: { code: atB.json.code } });
      assert.equal(verified.status, 200);
      assert.equal(verified.json.valid, true);
      assert.equal(verified.json.colour, atB.json.colour);
    }

    assert.equal((await call(b, '/api/v1/auth/sign-out', { method: 'POST', token })).status, 204);
    assert.equal((await call(a, '/api/v1/me/code', { token })).status, 401);
  });

  test('failed sign-ins at one instance lock the document at the other', async () => {
    const wrong = { ...ZHANG, name: '张三' };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await call(i % 2 === 0 ? a : b, '/api/v1/auth/real-name', { method: 'POST', body: wrong })).status,
      );
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401]);
    assert.equal((await call(b, '/api/v1/auth/real-name', { method: 'POST', body: ZHANG })).status, 429);
  });
});
