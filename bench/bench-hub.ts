/**
 * What the HTTP benchmarks share (bench/overload.bench.ts, bench/http.bench.ts): a hub (`yimatong serve`, its
 * defaults) started as its own process on SQLite or on a fresh PostgreSQL database, its signed-in and declared
 * holders, the load generator (bench/load-client.ts) run as another process, and the hub's CPU and memory read
 * from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { idCardCheckChar } from '../src/identity/id-card.domain.ts';
import type { Job, LoadResult } from './load-client.ts';
import { HEALTHY_DECLARATION } from './report.ts';

const BIN = fileURLToPath(new URL('../bin/yimatong.js', import.meta.url));
const CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));
export const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const SURNAMES = Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗');
const GIVEN = Array.from('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰');

/** `count` people with valid, distinct ID numbers and plausible names. */
function people(
  count: number,
): { documentType: 'id_card'; documentNumber: string; name: string; phone: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const first17 = `440305${String(1950 + (i % 50))}0101${String(Math.floor(i / 50)).padStart(3, '0')}`;
    const name = `${SURNAMES[i % SURNAMES.length] ?? '王'}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length] ?? '伟'}${GIVEN[(i * 7) % GIVEN.length] ?? '伟'}`;
    return {
      documentType: 'id_card',
      documentNumber: first17 + idCardCheckChar(first17),
      name,
      phone: `139${String(10_000_000 + i)}`,
    };
  });
}

/** The pids of a process's children (Linux); none once it has gone. */
export function childPids(pid: number): number[] {
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

/**
 * CPU seconds a process and its descendants (the workers of `serve --workers`) have used so far (Linux:
 * /proc/PID/stat, user + system, at 100 ticks a second).
 */
export function cpuSeconds(pid: number): number {
  try {
    const fields =
      readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
        .split(') ')[1]
        ?.split(' ') ?? [];
    const own = (Number(fields[11]) + Number(fields[12])) / 100;
    return childPids(pid).reduce((sum, c) => sum + cpuSeconds(c), own);
  } catch {
    return 0;
  }
}

export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Starts a process and resolves with the URL it prints ("listening on http://…"). */
export async function startListening(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    proc.once('exit', (code) => {
      reject(new Error(`${args.join(' ')} exited (${String(code)})`));
    });
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
  });
  return { proc, url };
}

/**
 * fetch, again while the hub answers 503. Setting up is not the measurement: twenty sign-ins at once are a burst
 * the hub sheds in part, and waiting the whole Retry-After each time made setting up take minutes.
 */
export async function patiently(url: string, init: RequestInit = {}): Promise<Response> {
  for (;;) {
    const res = await fetch(url, init);
    if (res.status !== 503) return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface BenchHub {
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly dir: string;
  /** A file with the holders' session tokens, one per line. */
  readonly tokensFile: string;
  readonly tokens: readonly string[];
  stop(): Promise<void>;
}

/**
 * A hub on `engine` (a fresh `databaseName` on the local PostgreSQL server) with `holders` imported, signed-in
 * and declared holders; with `showCode`, each holder's code shown once (PATH answers from then on show the
 * current code again). `BENCH_HUB_NODE_ARGS` adds Node options to the hub (e.g. `--cpu-prof`).
 */
export async function startBenchHub(options: {
  readonly engine: string;
  readonly databaseName: string;
  readonly holders: number;
  readonly showCode: boolean;
  readonly env?: NodeJS.ProcessEnv;
}): Promise<BenchHub> {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-bench-hub-'));
  let databaseUrl = '';
  if (options.engine === 'postgres') {
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${options.databaseName}`);
    await admin.query(`CREATE DATABASE ${options.databaseName}`);
    await admin.end();
    databaseUrl = new URL(`/${options.databaseName}`, PG_ADMIN).toString();
  }
  const env = {
    ...process.env,
    DATA_DIR: join(dir, 'data'),
    DATABASE_URL: databaseUrl,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    WORKERS: '1',
    ...options.env,
  };
  const list = people(options.holders);
  const ids = join(dir, 'identities.ndjson');
  writeFileSync(ids, list.map((p) => JSON.stringify(p)).join('\n'));
  const imported = spawnSync(process.execPath, [BIN, 'identities', 'import', ids], { env, encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(imported.stderr);
  const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { proc, url } = await startListening([...nodeArgs, BIN, 'serve'], env);
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const tokens: string[] = [];
    for (let i = 0; i < list.length; i += 20) {
      const batch = await Promise.all(
        list.slice(i, i + 20).map(async (p) => {
          const signed = await patiently(`${url}/api/v1/auth/real-name`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              documentType: p.documentType,
              documentNumber: p.documentNumber,
              name: p.name,
            }),
          });
          if (signed.status !== 200)
            throw new Error(`sign-in: ${String(signed.status)} ${await signed.text()}`);
          const { token } = (await signed.json()) as { token: string };
          const auth = { authorization: `Bearer ${token}` };
          const declared = await patiently(`${url}/api/v1/me/declaration`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...auth },
            body: JSON.stringify(HEALTHY_DECLARATION),
          });
          if (declared.status >= 300) throw new Error(`declaration: ${await declared.text()}`);
          if (options.showCode) {
            const shown = await patiently(`${url}/api/v1/me/code`, { headers: auth });
            if (shown.status !== 200) throw new Error(`code: ${await shown.text()}`);
          }
          return token;
        }),
      );
      tokens.push(...batch);
    }
    const tokensFile = join(dir, 'tokens.txt');
    writeFileSync(tokensFile, tokens.join('\n'));
    return { proc, pid: proc.pid ?? 0, url, dir, tokensFile, tokens, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Runs the load generator as its own process. */
function loadFrom(job: Job): Promise<LoadResult> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CLIENT, JSON.stringify(job)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load client exited ${String(code)}`));
      else resolve(JSON.parse(out) as LoadResult);
    });
  });
}

/** A load with the CPU `pid` used while it ran (100 %: one core). */
export async function measured(pid: number, job: Job): Promise<LoadResult & { readonly cpuPct: number }> {
  const before = cpuSeconds(pid);
  const r = await loadFrom(job);
  return { ...r, cpuPct: (100 * (cpuSeconds(pid) - before)) / r.seconds };
}
