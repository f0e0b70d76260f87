/**
 * `yimatong federation --provinces all|110000,440000,…`: the hub and provincial nodes on loopback, each a
 * separate process, for demos and tests. The hub uses DATA_DIR as `npm start` does; each node uses
 * DATA_DIR/provinces/CODE. Provinces are enrolled at the hub before it starts (their enrolment files, as an
 * operator would with `yimatong provinces enrol`). Prints one JSON line per process when it is ready —
 * {"role":"hub"|"province","code":…,"url":…} — and nothing else on stdout; the processes' own logs go to
 * stderr, prefixed. Ctrl-C (SIGINT) or SIGTERM stops them all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { ProvinceKeys } from '../province-node/province-keys.ts';
import { ProvinceRegistry } from '../provinces/province-registry.ts';
import { keyStoreFor } from '../signing/keystore.ts';
import { provinceDataDir } from './province.command.ts';
import { untilSignal } from './server-lifecycle.ts';
import { UsageError } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));
const USAGE = `usage: yimatong federation [--provinces all|CODE,CODE,…] [--port 8080] [--rules-dir DIR] [--parallel 4]`;
const READY_TIMEOUT_MS = 180_000;
/**
 * 33 processes on one machine (docs/federation.md#footprint): each keeps V8's young generation at 4 MiB a half
 * instead of 16 (≈ 20 MiB less per process for a little more garbage-collection work), one V8 background thread
 * and V8's memory-saving mode (1–3 MiB each, at some speed the federation's demonstration load does not feel). A hub
 * or node deployed on its own uses Node's defaults.
 */
const NODE_ARGS = ['--max-semi-space-size=4', '--v8-pool-size=1', '--optimize-for-size'];
/**
 * glibc's malloc, left to itself, raises its trim and mmap thresholds as the start frees its large parse buffers,
 * and keeps that memory; fixed thresholds give it back: ≈ 6 MiB less per process. Set only where the environment
 * does not set them.
 */
const MALLOC_ENV = { MALLOC_TRIM_THRESHOLD_: '131072', MALLOC_MMAP_THRESHOLD_: '131072' };

interface Child {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly ready: Promise<Record<string, unknown>>;
}

/** Starts a process; resolves with its ready line (a JSON object with `url`, or the hub's "listening" line). */
function start(name: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, [...NODE_ARGS, BIN, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (line: string) => {
    process.stderr.write(`[${name}] ${line}\n`);
  };
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${name} was not ready in time`));
    }, READY_TIMEOUT_MS);
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const hub = /listening on (http:\/\/\S+)/.exec(line);
      if (hub?.[1]) {
        clearTimeout(timer);
        resolve({ url: hub[1] });
        return;
      }
      if (line.startsWith('{"role":')) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, unknown>);
        return;
      }
      prefix(line);
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? String(code)}) before it was ready`));
    });
  });
  ready.catch(() => undefined);
  createInterface({ input: proc.stderr }).on('line', prefix);
  return { name, proc, ready };
}

async function stopAll(children: readonly Child[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.proc.exitCode !== null || c.proc.signalCode !== null) {
            resolve();
            return;
          }
          const kill = setTimeout(() => c.proc.kill('SIGKILL'), 10_000);
          c.proc.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          c.proc.kill('SIGTERM');
        }),
    ),
  );
}

export async function federationCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      provinces: { type: 'string' },
      port: { type: 'string' },
      'rules-dir': { type: 'string' },
      parallel: { type: 'string' },
    },
  });
  const config = loadConfig();
  const registry = new ProvinceRegistry(config.corpsCode);
  const wanted = values.provinces ?? 'all';
  const codes = wanted === 'all' ? registry.all().map((u) => u.code) : wanted.split(',').map((c) => c.trim());
  const unknown = codes.filter((c) => registry.get(c) === undefined);
  if (unknown.length > 0 || codes.length === 0)
    throw new UsageError(`--provinces: not provincial units: ${unknown.join(', ')}\n${USAGE}`);
  const parallel = Number(values.parallel ?? 4);
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new UsageError(`--parallel must be a positive integer\n${USAGE}`);
  const port = values.port ?? String(config.port);

  // Each node's keys, and its enrolment at the hub (what `yimatong provinces enrol` does), before the hub runs.
  const now = new Date();
  const enrolments = codes.map((code) =>
    new ProvinceKeys(
      keyStoreFor({ ...config, dataDir: provinceDataDir(config.dataDir, code) }, 'province'),
      code,
    ).ensure(now),
  );
  await withParts(config, async ({ services: { provinces } }) => {
    for (const e of enrolments) await provinces.enrolUnlessSame(e, now);
    return 0;
  });

  const children: Child[] = [];
  let stopping = false;
  const stopped = untilSignal().then(() => {
    stopping = true;
  });
  // The demonstration runs every node on this machine, at http://127.0.0.1: the hub and the nodes accept local
  // node URLs (development only, docs/federation.md#node-urls; refused when NODE_ENV=production).
  const childEnv = {
    ...MALLOC_ENV,
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    NODE_URLS_ALLOW_LOCAL: 'true',
  };
  try {
    // One hub process beside the 32 nodes on this machine, unless WORKERS says otherwise.
    const hub = start('hub', ['serve'], { ...childEnv, WORKERS: process.env.WORKERS ?? '1', PORT: port });
    children.push(hub);
    const hubUrl = String((await hub.ready).url);
    process.stdout.write(`${JSON.stringify({ role: 'hub', code: config.hubIssuerId, url: hubUrl })}\n`);

    const queue = [...codes];
    const worker = async () => {
      for (let code = queue.shift(); code !== undefined && !stopping; code = queue.shift()) {
        const rules = values['rules-dir'] && join(values['rules-dir'], `${code}.acceptance.json`);
        const child = start(
          code,
          [
            'province',
            '--code',
            code,
            '--hub',
            hubUrl,
            '--port',
            '0',
            ...(rules && existsSync(rules) ? ['--rules', rules] : []),
          ],
          childEnv,
        );
        children.push(child);
        process.stdout.write(`${JSON.stringify(await child.ready)}\n`);
      }
    };
    await Promise.race([Promise.all(Array.from({ length: parallel }, worker)), stopped]);
    for (const c of children) {
      c.proc.once('exit', (code, signal) => {
        if (!stopping) process.stderr.write(`[${c.name}] exited unexpectedly (${signal ?? String(code)})\n`);
      });
    }
    await stopped;
    return 0;
  } catch (e) {
    process.stderr.write(`federation: ${(e as Error).message}\n`);
    return 1;
  } finally {
    stopping = true;
    await stopAll(children);
  }
}
