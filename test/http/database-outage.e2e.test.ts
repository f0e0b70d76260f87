/**
 * Issue 14, finding 1: the hub on its own PostgreSQL cluster (a throwaway one: initdb into a temp folder, its own
 * port), under steady sign-ins, while the cluster is stopped and started again. Before: the hub exited within a second
 * ("Unhandled 'error' event … on BoundPool"), or answered 500 while /healthz said ok. Now: the process stays up; every
 * answer meanwhile is a success or a coded 503 with Retry-After (never a 500); liveness stays ok while readiness says
 * the database is down; when the cluster is back the hub serves again by itself; and every sign-in it acknowledged
 * (a session written) is still there.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_PEOPLE } from '../../src/demo/demo-population.ts';
import { startThrowawayPg, type ThrowawayPg } from '../helpers/throwaway-pg.ts';
import { TESTS_LOOP_DELAY } from '../helpers/context.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));
const LOOPS = 6;

interface Answer {
  readonly status: number;
  readonly code?: string;
  readonly retryAfter: string | null;
  readonly token?: string;
}

const pg = await startThrowawayPg();
if (!pg)
  process.stdout.write('# skipped: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)\n');

describe('the hub when its PostgreSQL goes away and comes back', { skip: pg === undefined }, () => {
  const cluster = pg as ThrowawayPg;
  let hub: ChildProcess;
  let url = '';
  let stderr = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'ymt-outage-'));

  before(async () => {
    hub = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: cluster.url,
        PORT: '0',
        HOST: '127.0.0.1',
        DEMO_DATA: 'true',
        LOG_LEVEL: 'error',
        BUSY_RETRY_AFTER_SECONDS: '1',
        WORKERS: '1',
        ...TESTS_LOOP_DELAY,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    hub.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`hub not ready:\n${stderr}`));
      }, 120_000);
      createInterface({ input: hub.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (!m?.[1]) return;
        clearTimeout(timer);
        resolve(m[1]);
      });
      hub.once('exit', (code) => {
        reject(new Error(`hub exited (${String(code)}):\n${stderr}`));
      });
    });
  });
  after(async () => {
    if (hub.exitCode === null) {
      const exited = new Promise((r) => hub.once('exit', r));
      hub.kill('SIGTERM');
      await exited;
    }
    cluster.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const signIn = async (i: number): Promise<Answer> => {
    const p = DEMO_PEOPLE[i % DEMO_PEOPLE.length];
    assert.ok(p);
    const r = await fetch(`${url}/api/v1/auth/real-name`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        documentType: p.documentType,
        documentNumber: p.documentNumber,
        nationality: p.nationality,
        name: p.name,
      }),
    });
    const body = (await r.json()) as { token?: string; error?: { code: string } };
    return {
      status: r.status,
      retryAfter: r.headers.get('retry-after'),
      ...(body.error ? { code: body.error.code } : {}),
      ...(body.token ? { token: body.token } : {}),
    };
  };

  /** Signs in from LOOPS clients, each after the other's answer, until `stop` says so. */
  const load = (answers: Answer[], stop: { now: boolean }) =>
    Promise.all(
      Array.from({ length: LOOPS }, async (_, loop) => {
        for (let i = loop; !stop.now; i += LOOPS) {
          try {
            answers.push(await signIn(i));
          } catch (e) {
            answers.push({ status: 0, code: String(e), retryAfter: null });
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      }),
    );
  const probe = async (path: string) => (await fetch(`${url}${path}`)).status;

  test('the process stays up, answers 503 with Retry-After, recovers by itself, loses no acknowledged write', async () => {
    assert.equal(await probe('/readyz'), 200);
    const answers: Answer[] = [];
    const stop = { now: false };
    const running = load(answers, stop);
    await new Promise((r) => setTimeout(r, 1000));

    cluster.stop();
    const downAt = answers.length;
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(hub.exitCode, null, `the hub exited:\n${stderr}`);
    assert.equal(await probe('/healthz'), 200, 'liveness stays separate');
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 503);
    assert.ok(ready.headers.get('retry-after'));
    assert.deepEqual(await ready.json(), { status: 'unavailable', database: 'down' });
    // The signals say so too (scraped from this machine: loopback).
    const down = await (await fetch(`${url}/metrics`)).text();
    assert.match(down, /^ymt_database_up 0$/m);
    assert.match(down, /^ymt_database_failures_total\{kind="(unavailable|busy)"\} [1-9]/m);
    const whileDown = answers.slice(downAt);
    assert.ok(whileDown.length > 0, 'requests were answered while the database was down');
    for (const a of whileDown) {
      if (a.status === 200) continue;
      assert.equal(a.status, 503, JSON.stringify(a));
      assert.ok(a.code === 'YMT_ERR_UNAVAILABLE' || a.code === 'YMT_ERR_BUSY', JSON.stringify(a));
      assert.ok(a.retryAfter !== null && Number(a.retryAfter) >= 1, JSON.stringify(a));
    }
    assert.ok(
      whileDown.some((a) => a.status === 503),
      'the outage was seen as 503',
    );

    cluster.start();
    const deadline = Date.now() + 60_000;
    while ((await probe('/readyz')) !== 200) {
      assert.ok(Date.now() < deadline, `not ready again:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(await (await fetch(`${url}/metrics`)).text(), /^ymt_database_up 1$/m);
    const upAt = answers.length;
    await new Promise((r) => setTimeout(r, 1500));
    stop.now = true;
    await running;
    const afterUp = answers.slice(upAt);
    assert.ok(afterUp.length > 0);
    assert.ok(
      afterUp.every((a) => a.status === 200),
      `serving again by itself: ${JSON.stringify(afterUp.filter((a) => a.status !== 200).slice(0, 3))}`,
    );
    assert.equal(answers.filter((a) => a.status === 500).length, 0, 'never a 500');

    // Every acknowledged sign-in wrote a session that is still there.
    const tokens = answers.flatMap((a) => (a.token ? [a.token] : []));
    for (const token of tokens) {
      const r = await fetch(`${url}/api/v1/me/declaration`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.notEqual(r.status, 401, 'an acknowledged session was lost');
      assert.notEqual(r.status, 500);
    }
    assert.equal(hub.exitCode, null);
  });
});
