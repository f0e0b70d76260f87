/**
 * Federation footprint (docs/federation.md#footprint): `yimatong federation --provinces all` — the hub and 32
 * provincial nodes, 33 processes — on this machine: how long until every process is ready, the resident
 * memory (RSS) of each process once ready and after a quiet minute of background work (trust-list refreshes,
 * status sweeps), and how long a clean stop takes. The baseline beside it, measured in the same run, is one
 * hub alone (`yimatong serve`, one worker): the federation's memory is reported as a multiple of it. Measured twice: the
 * TypeScript sources through tsx's loader, then the compiled hub (dist/server, built first), as `npm start` runs.
 *
 *   npm run bench:federation      (BENCH_QUIET_SECONDS=60 to change the quiet time)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { childPids } from './bench-hub.ts';
import { machine, median, writeBlock } from './report.ts';

const BIN = fileURLToPath(new URL('../bin/yimatong.js', import.meta.url));
const QUIET_S = Number(process.env.BENCH_QUIET_SECONDS ?? 60);
/** Issue 15's goals: every process ≤ 90 MiB of RSS, the 33 ≤ 3 GiB (PSS: what they take from the machine). */
const GOAL_PROCESS_MIB = 90;

/**
 * A process's memory in MiB (/proc/PID/smaps_rollup): `rss` counts every page it maps, including the Node binary's
 * pages that all processes on the machine share (≈ 40 MiB each here); `pss` shares each page among the processes
 * mapping it, so the PSS of the 33 adds up to what they take from the machine; `uss` is its own pages only.
 */
interface Memory {
  readonly rss: number;
  readonly pss: number;
  readonly uss: number;
}

function memoryOf(pid: number): Memory {
  const text = readFileSync(`/proc/${String(pid)}/smaps_rollup`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) / 1024;
  return { rss: kb('Rss'), pss: kb('Pss'), uss: kb('Private_Clean') + kb('Private_Dirty') };
}

/** The memory of a process and every descendant, by pid. */
function tree(root: number): Map<number, Memory> {
  const out = new Map<number, Memory>();
  const walk = (pid: number) => {
    try {
      out.set(pid, memoryOf(pid));
    } catch {
      return;
    }
    for (const c of childPids(pid)) walk(c);
  };
  walk(root);
  return out;
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  readyLines: number,
): Promise<{ proc: ChildProcess; readyMs: number }> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let seen = 0;
    createInterface({ input: proc.stdout }).on('line', (line) => {
      if (line.startsWith('{"role":') || /listening on/.test(line)) seen += 1;
      if (seen === readyLines) resolve({ proc, readyMs: performance.now() - t0 });
    });
    proc.once('exit', (code) => {
      reject(new Error(`${args[0] ?? ''} exited (${String(code)}) before it was ready`));
    });
  });
}

async function stop(proc: ChildProcess): Promise<number> {
  const t0 = performance.now();
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGINT');
  await exited;
  return performance.now() - t0;
}

const sum = (m: Map<number, Memory>, k: keyof Memory) => [...m.values()].reduce((a, b) => a + b[k], 0);
const mib = (n: number) => `${n.toFixed(0)} MiB`;

execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'ymt-bench-fed-'));
const env = {
  ...process.env,
  DATABASE_URL: '',
  LOG_LEVEL: 'warn',
  DEMO_DATA: 'false',
  NODE_URLS_ALLOW_LOCAL: 'true',
};
const lines: string[] = [];
const say = (s: string) => {
  console.log(s);
  lines.push(s);
};
/** One run of the whole measurement with a runtime (bin/yimatong.js's YMT_RUNTIME): its report lines. */
async function measure(runtime: 'source' | 'compiled'): Promise<void> {
  const withRuntime = { ...env, YMT_RUNTIME: runtime, DATA_DIR: join(dir, runtime) };
  say(
    `**${runtime === 'compiled' ? 'compiled (dist/server, as `npm start`)' : 'TypeScript through the tsx loader'}**`,
  );
  // Baseline: one hub alone.
  const hub = await run(['serve'], { ...withRuntime, PORT: '0', WORKERS: '1' }, 1);
  const hubMemory = tree(hub.proc.pid ?? 0);
  const hubRss = sum(hubMemory, 'rss');
  await stop(hub.proc);

  const fed = await run(['federation', '--provinces', 'all', '--port', '0'], withRuntime, 33);
  const ready = tree(fed.proc.pid ?? 0);
  await new Promise((r) => setTimeout(r, QUIET_S * 1000));
  const quiet = tree(fed.proc.pid ?? 0);
  // The hub among the command's processes: the one started with `serve` (the nodes with `node`).
  const hubPid = [...quiet.keys()].find(
    (pid) =>
      pid !== fed.proc.pid && readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').includes('\0serve\0'),
  );
  const stopMs = await stop(fed.proc);

  const nodes = [...quiet.entries()].filter(([pid]) => pid !== fed.proc.pid);
  const rss = nodes.map(([, m]) => m.rss).sort((x, y) => x - y);
  const hubAfter = hubPid === undefined ? undefined : quiet.get(hubPid)?.rss;
  const over = rss.filter((r) => r > GOAL_PROCESS_MIB).length;
  const pss = sum(quiet, 'pss');
  say(`processes: ${String(quiet.size)} (the federation command, the hub and 32 nodes)`);
  say(`ready: all 33 in ${(fed.readyMs / 1000).toFixed(1)} s (nodes started 4 at a time)`);
  say(`one hub alone (baseline, same run): ${mib(hubRss)} RSS, ${mib(sum(hubMemory, 'pss'))} PSS once ready`);
  say(
    `total once ready: ${mib(sum(ready, 'rss'))} RSS summed, ${mib(sum(ready, 'pss'))} PSS; after ${String(QUIET_S)} s: ${mib(sum(quiet, 'rss'))} RSS summed, ${mib(pss)} PSS = ${(pss / 1024).toFixed(2)} GiB (goal ≤ 3 GiB: ${pss <= 3072 ? 'met' : '**not met**'})`,
  );
  say(
    `per process after ${String(QUIET_S)} s, RSS: min ${mib(rss[0] ?? 0)}, median ${mib(median(rss))}, max ${mib(rss.at(-1) ?? 0)}; ${String(over)} of ${String(rss.length)} above ${String(GOAL_PROCESS_MIB)} MiB (goal: none: ${over === 0 ? 'met' : '**not met**'}); the hub ${hubAfter === undefined ? '?' : mib(hubAfter)}; own pages (USS) median ${mib(median(nodes.map(([, m]) => m.uss)))}`,
  );
  say(`clean stop (SIGINT to the command until every process exited): ${(stopMs / 1000).toFixed(1)} s`);
}

try {
  for (const runtime of ['source', 'compiled'] as const) await measure(runtime);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const target = process.env.BENCH_WRITE;
if (
  target &&
  !writeBlock(
    target,
    'federation.bench',
    `${machine()}, SQLite`,
    lines.map((l) => `- ${l}`),
  )
)
  throw new Error(`${target} has no <!-- federation.bench:start --> … <!-- federation.bench:end --> block`);
