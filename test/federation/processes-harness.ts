/**
 * A federation of separate processes started one by one as operators start them — `yimatong serve` for the hub,
 * `yimatong province --code … --hub …` for each node — so that a test can stop the hub and start it again while the
 * nodes keep running (one-colour.e2e.test.ts). The nodes' keys and enrolments are made first, as an operator would
 * with the node's enrolment file and `yimatong provinces enrol`. The data folders stay readable by the test: a
 * durable effect (each change applied once) is checked in the databases themselves.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config/config.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { keyStoreFor } from '../../src/signing/keystore.ts';
import type { ALICE } from '../helpers/people.ts';
import { TESTS_LOOP_DELAY, LOCAL_NODE_URLS } from '../helpers/context.ts';
import { BIN } from './federation-harness.ts';

export interface Processes {
  /** The hub's URL: the same across restarts. */
  readonly hub: string;
  at(code: string): string;
  readonly hubDataDir: string;
  env(): NodeJS.ProcessEnv;
  /** Runs `yimatong ARGS…` on the hub's data folder (an operator at the hub's machine); its stdout. */
  cli(...args: string[]): string;
  /** Stops the hub (SIGTERM, as a service manager does) and waits until it has exited. */
  stopHub(): Promise<void>;
  /** Starts the hub again on the same port. */
  startHub(): Promise<void>;
  /** Reads a database read-only: the hub's (`hub`), or a node's (its code). */
  query<T>(where: string, sql: string, ...params: unknown[]): T[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

/** Spawns a command and resolves with the URL of its ready line. */
function spawnReady(
  args: string[],
  env: NodeJS.ProcessEnv,
  name: string,
): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${name} not ready:\n${stderr}`));
    }, 180_000);
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const url =
        /listening on (http:\/\/\S+)/.exec(line)?.[1] ??
        (line.startsWith('{"role":') ? (JSON.parse(line) as { url: string }).url : undefined);
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({ proc, url });
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? String(code)}):\n${stderr}`));
    });
  });
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

export async function startProcesses(
  provinces: readonly string[],
  people: readonly (typeof ALICE)[],
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<Processes> {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-procs-'));
  const hubDataDir = join(dir, 'data');
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    DATA_DIR: hubDataDir,
    DATABASE_URL: '',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    STATUS_PUSH_SECONDS: '1',
    WORKERS: '1',
    ...TESTS_LOOP_DELAY,
    ...LOCAL_NODE_URLS,
    ...extraEnv,
  });
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { env: env(), encoding: 'utf8' });
    assert.equal(r.status, 0, `yimatong ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  // The identities the national real-name service knows.
  const ids = join(dir, 'identities.ndjson');
  writeFileSync(ids, people.map((p) => JSON.stringify(p)).join('\n'));
  cli('identities', 'import', ids);
  // Each node's keys and enrolment file; the hub's operator enrols them.
  const config = loadConfig(env());
  for (const code of provinces) {
    const keys = new ProvinceKeys(
      keyStoreFor({ ...config, dataDir: join(hubDataDir, 'provinces', code) }, 'province'),
      code,
    );
    keys.ensure(new Date());
    cli('provinces', 'enrol', keys.enrolmentFile);
  }

  const port = await freePort();
  const startHubProcess = () => spawnReady(['serve'], { ...env(), PORT: String(port) }, 'hub');
  let hub = await startHubProcess();
  const nodes = new Map<string, { proc: ChildProcess; url: string }>();
  try {
    for (const code of provinces)
      nodes.set(
        code,
        await spawnReady(['province', '--code', code, '--hub', hub.url, '--port', '0'], env(), code),
      );
  } catch (e) {
    for (const p of [hub, ...nodes.values()]) await stopProcess(p.proc);
    throw e;
  }
  const hubUrl = hub.url;
  const dbFile = (where: string) =>
    where === 'hub' ? join(hubDataDir, 'yimatong.db') : join(hubDataDir, 'provinces', where, 'yimatong.db');

  return {
    hub: hubUrl,
    at(code) {
      const n = nodes.get(code);
      if (!n) throw new Error(`no node ${code}`);
      return n.url;
    },
    hubDataDir,
    env,
    cli,
    async stopHub() {
      await stopProcess(hub.proc);
    },
    async startHub() {
      hub = await startHubProcess();
      assert.equal(hub.url, hubUrl);
    },
    query<T>(where: string, sql: string, ...params: unknown[]): T[] {
      const db = new Database(dbFile(where), { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    async stop() {
      await Promise.all([hub, ...nodes.values()].map((p) => stopProcess(p.proc)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
