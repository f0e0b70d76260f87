/**
 * `yimatong serve --workers 2` as an operator runs it: two worker processes on one SQLite file behind one port
 * answer as one hub — the demo population loaded once, codes written from both at once, failed sign-ins counted
 * for the whole hub (the primary keeps the limits), /metrics merged over both, a dead worker replaced, and SIGTERM
 * stopping every process.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { restartPause } from '../../src/cli/serve-workers.ts';
import { TESTS_LOOP_DELAY } from '../helpers/context.ts';
import { until } from '../helpers/until.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));
const ZHANG = { documentType: 'id_card', documentNumber: '110105198503121234', name: '张伟' };

/** The pids of a process's children (Linux). */
function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${String(pid)}/task/${String(pid)}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** A POST on a connection of its own (no keep-alive): the primary hands each connection to the next worker. */
function postAlone(url: string, path: string, body: unknown, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        resolve(res.statusCode ?? 0);
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function listening(child: ChildProcessWithoutNullStreams): Promise<{ url: string; line: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+).*/.exec(out);
      if (m?.[1]) resolve({ url: m[1], line: m[0] });
    });
    child.on('exit', (c) => {
      reject(new Error(`exited ${String(c)}`));
    });
  });
}

test('serve --workers 2: two processes on one SQLite file answer as one hub', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-workers-'));
  const child = spawn(process.execPath, [BIN, 'serve', '--workers', '2'], {
    cwd: dir,
    // Admission out of the way (40 requests at once can exceed one worker's in-flight cap, 16, when more of the
    // connections reach one worker): this test is about the workers; shedding is test/http/overload.test.ts's.
    env: {
      ...process.env,
      ...TESTS_LOOP_DELAY,
      MAX_IN_FLIGHT: '1000',
      DATA_DIR: dir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  try {
    const { url, line } = await listening(child);
    assert.match(line, /\(sqlite: .*, 2 workers\)$/);
    const pid = child.pid ?? 0;
    assert.equal(children(pid).length, 2, 'two workers');

    // Signed in once (the demo population was loaded once, by the first worker), then 40 codes at once, each on
    // its own connection: both workers write to the one file, and every request is answered.
    const signIn = await fetch(`${url}/api/v1/auth/real-name`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ZHANG),
    });
    assert.equal(signIn.status, 200);
    const { token } = (await signIn.json()) as { token: string };
    const shown = await Promise.all(
      Array.from({ length: 40 }, () => postAlone(url, '/api/v1/me/code', {}, token)),
    );
    assert.deepEqual(
      shown.filter((s) => s !== 200),
      [],
      stderr.join(''),
    );

    // Wrong names for a document, each on a new connection (so spread over both workers): five are free for the
    // whole hub, the sixth locks the document, the seventh is refused without being tried. Counted per worker,
    // neither would have seen more than four.
    const wrong = { ...ZHANG, name: '张三' };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push(await postAlone(url, '/api/v1/auth/real-name', wrong));
    assert.equal(statuses.slice(0, 6).includes(429), false, String(statuses));
    assert.equal(statuses[6], 429, String(statuses));

    // /metrics, taken by either worker, counts for both: 40 codes admitted (each worker admitted about half).
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const admitted = /^ymt_http_admitted_total\{class="codes"\} (\d+)$/m.exec(metrics)?.[1];
    assert.ok(Number(admitted) >= 40, `codes admitted: ${String(admitted)}`);
    assert.match(metrics, /^ymt_rate_limit_hits_total\{limit="failures"\} 1$/m);

    // A worker killed outright is replaced; the hub answers meanwhile and afterwards.
    const [victim] = children(pid);
    assert.ok(victim !== undefined);
    process.kill(victim, 'SIGKILL');
    await until(
      'a replacement worker',
      () => {
        const now = children(pid);
        return now.length === 2 && !now.includes(victim);
      },
      30_000,
      100,
    );
    assert.match(stderr.join(''), /exited \(SIGKILL\): replacing it/);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);

    const workers = children(pid);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    for (const w of workers) assert.throws(() => process.kill(w, 0), 'every worker stopped');
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('restartPause: 1 s, doubled for each replacement in a row that died before it was ready, up to a minute', () => {
  assert.deepEqual(
    [0, 1, 2, 3, 5, 6, 7, 1000].map(restartPause),
    [1000, 2000, 4000, 8000, 32_000, 60_000, 60_000, 60_000],
  );
});

test('serve --workers 2: a worker that cannot start is replaced ever more slowly, and at 1 s again once one starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-workers-backoff-'));
  const child = spawn(process.execPath, [BIN, 'serve', '--workers', '2'], {
    cwd: dir,
    env: {
      ...process.env,
      DATA_DIR: dir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      DEMO_DATA: 'false',
    },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const { url } = await listening(child);
    const pid = child.pid ?? 0;
    // The data keys damaged: a worker starting now cannot read them (the running ones hold them already).
    const keys = join(dir, 'keys', 'data-keys.json');
    const good = readFileSync(keys);
    writeFileSync(keys, '{ damaged');
    const [victim] = children(pid);
    assert.ok(victim !== undefined);
    process.kill(victim, 'SIGKILL');
    await until(
      'two replacements in a row that died',
      () => /\(2 in a row\): replacing it in 4 s/.test(stderr),
      60_000,
      100,
    );
    assert.match(stderr, /exited \(SIGKILL\): replacing it in 1 s/);
    assert.match(stderr, /exited \(1\) before it was ready \(1 in a row\): replacing it in 2 s/);
    // Mended: the next replacement starts, and a worker dying after that is replaced after 1 s again.
    writeFileSync(keys, good);
    await until(
      'a replacement ready',
      () => /is ready, after \d+ that died before they were/.test(stderr),
      120_000,
      100,
    );
    const [next] = children(pid);
    assert.ok(next !== undefined);
    process.kill(next, 'SIGKILL');
    await until(
      'a second kill seen',
      () => stderr.match(/exited \(SIGKILL\): replacing it in 1 s/g)?.length === 2,
      30_000,
      100,
    );
    await until('two workers again', () => children(pid).length === 2, 30_000, 100);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad worker count or runtime is refused with exit 2 and its reason, before anything is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-workers-bad-'));
  try {
    const serve = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      spawnSync(process.execPath, [BIN, 'serve', ...args], {
        cwd: dir,
        env: { ...process.env, DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: '', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
    for (const n of ['0', '65', 'two', '1.5']) {
      const r = serve(['--workers', n]);
      assert.equal(r.status, 2, `--workers ${n}: ${r.stderr}`);
      assert.match(r.stderr, /--workers N/);
    }
    const env = serve([], { WORKERS: '0' });
    assert.equal(env.status, 2, env.stderr);
    assert.match(env.stderr, /WORKERS/);
    const runtime = serve([], { YMT_RUNTIME: 'fast' });
    assert.equal(runtime.status, 2, runtime.stderr);
    assert.match(runtime.stderr, /YMT_RUNTIME must be auto, compiled or source/);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
