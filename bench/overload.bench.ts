/**
 * Overload (docs/capacity.md#overload): a hub (`yimatong serve`, its defaults) on SQLite, then on PostgreSQL, with
 * HOLDERS signed-in, declared holders; load from a second process (bench/load-client.ts, raw keep-alive sockets)
 * showing codes (`GET /api/v1/me/code`, round-robin over the holders). In one run per engine:
 *
 * 1. unloaded: one connection;
 * 2. a ramp of connections (4, 8, … doubling) until the hub sheds: capacity = the best goodput (200/s) before the
 *    first step that sheds, and that step's p99 is the p99 "before overload";
 * 3. 3× first shed (closed, issue 14's finding 3): three times the connections of the first step that shed, each
 *    asking again the moment it is answered;
 * 4. 3× capacity (open, the goal's shape): arrivals at three times the capacity per second whatever the answers;
 * 5. recovery after each: how long until one client's requests are served again within twice the p99 before
 *    overload (ten in a row);
 * 6. soak: BENCH_SOAK_SECONDS (default 60) at 70 % of capacity, each connection at its own cadence: errors, and
 *    the hub's RSS at start and end.
 * Each row has the hub's CPU while it ran; the goals also say how many refusals were paced.
 *
 *   npm run bench:overload      (BENCH_ENGINES=sqlite to run one engine; BENCH_WRITE=docs/capacity.md to record;
 *                                BENCH_HUB_NODE_ARGS="--cpu-prof" to pass Node options to the hub)
 */
import { MAX_REFUSAL_WAIT_MS } from '../src/http/refusal-pacer.ts';
import { measured, rssMiB, startBenchHub } from './bench-hub.ts';
import type { LoadResult } from './load-client.ts';
import { machine, ms, perSecond as rate, writeBlock } from './report.ts';

const HOLDERS = Number(process.env.BENCH_HOLDERS ?? 2000);
const STEP_S = Number(process.env.BENCH_STEP_SECONDS ?? 5);
const OVERLOAD_S = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 10);
const SOAK_S = Number(process.env.BENCH_SOAK_SECONDS ?? 60);
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const PATH = '/api/v1/me/code';
const OPEN_CONNECTIONS = 1024;

type Measured = Awaited<ReturnType<typeof measured>>;

/** How many refusals the hub has paced so far (its /metrics, read from loopback). */
async function pacedSoFar(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^ymt_http_refusals_paced_total (\d+)/m.exec(text)?.[1] ?? 0);
}

/** Samples a process's RSS every 200 ms while `work` runs; the peak. */
async function peakRss<T>(pid: number, work: Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 200);
  try {
    return { result: await work, peakMiB: Math.max(peak, rssMiB(pid)) };
  } finally {
    clearInterval(timer);
  }
}

/** Time (s) from now until `inARow` sequential requests in a row are 200 within `withinMs`. */
async function recovery(url: string, token: string, withinMs: number, inARow = 10): Promise<number> {
  const t0 = performance.now();
  let good = 0;
  while (good < inARow) {
    if (performance.now() - t0 > 60_000) return Number.POSITIVE_INFINITY;
    const s = performance.now();
    const res = await fetch(`${url}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    good = res.status === 200 && performance.now() - s <= withinMs ? good + 1 : 0;
  }
  return (performance.now() - t0) / 1000;
}

const shed = (r: LoadResult) => r.busy.count / Math.max(1, r.ok.count + r.busy.count);

interface EngineReport {
  readonly engine: string;
  readonly rows: string[];
  readonly goals: string[];
}

async function bench(engine: string): Promise<EngineReport> {
  const hub = await startBenchHub({
    engine,
    databaseName: 'ymt_bench_overload',
    holders: HOLDERS,
    showCode: true,
  });
  const { proc, pid, url, tokensFile } = hub;
  try {
    const firstToken = hub.tokens[0] ?? '';
    // Each load with the hub's CPU use while it ran (100 %: one core).
    const load = (connections: number, seconds: number, rate?: number, paced = false): Promise<Measured> =>
      measured(pid, {
        url,
        method: 'GET',
        path: PATH,
        tokensFile,
        connections,
        seconds,
        ...(rate ? { rate, paced } : {}),
      });
    await load(8, 3); // warm-up
    const unloaded = await load(1, STEP_S);
    const row = (load: string, r: Measured) =>
      `| ${engine} | ${load} | ${rate(r).toFixed(0)} | ${ms(r.ok.p50Ms)} / ${ms(r.ok.p99Ms)} | ${(100 * shed(r)).toFixed(1)} % | ${ms(r.busy.p99Ms)} | ${r.cpuPct.toFixed(0)} % |`;
    const rows = [
      `| ${engine} | 1 (unloaded) | ${rate(unloaded).toFixed(0)} | ${ms(unloaded.ok.p50Ms)} / ${ms(unloaded.ok.p99Ms)} | – | – | ${unloaded.cpuPct.toFixed(0)} % |`,
    ];
    let capacity = unloaded;
    let capacityConnections = 1;
    let firstShed = 0;
    for (let c = 4; c <= 4096; c *= 2) {
      const r = await load(c, STEP_S);
      rows.push(row(String(c), r));
      if (shed(r) >= 0.01) {
        firstShed = c;
        break;
      }
      if (rate(r) >= rate(capacity)) {
        capacity = r;
        capacityConnections = c;
      }
    }
    if (firstShed === 0) throw new Error('the hub never shed: raise the ramp');
    const goodputBefore = rate(capacity);
    const p99Before = capacity.ok.p99Ms ?? 0;

    // Finding 3's shape: three times the connections of the first step that shed, each retrying at once.
    const pacedBefore = await pacedSoFar(url);
    const closed = await load(3 * firstShed, OVERLOAD_S);
    const pacedClosed = (await pacedSoFar(url)) - pacedBefore;
    const closedRecoveredS = await recovery(url, firstToken, 2 * p99Before);
    rows.push(row(`${String(3 * firstShed)} closed (3× first shed)`, closed));
    // The goal's shape: requests arriving at three times the capacity whatever the answers (a refused client does
    // not wait for Retry-After: its next request comes on time all the same).
    // Enough connections that a request never waits for one on the client's side (a keep-alive connection carries
    // one request at a time), even while refusals wait their longest: idle ones cost the hub nothing.
    const pool = Math.max(
      OPEN_CONNECTIONS,
      3 * firstShed,
      Math.ceil(3 * goodputBefore * (MAX_REFUSAL_WAIT_MS / 1000 + 0.1)),
    );
    const over = await peakRss(pid, load(pool, OVERLOAD_S, 3 * goodputBefore));
    const recoveredS = await recovery(url, firstToken, 2 * p99Before);
    const o = over.result;
    const pacedOpen = (await pacedSoFar(url)) - pacedBefore - pacedClosed;
    rows.push(row(`open, ${(3 * goodputBefore).toFixed(0)}/s (3× capacity)`, o));

    const soakStart = rssMiB(pid);
    const soak = await peakRss(pid, load(capacityConnections, SOAK_S, 0.7 * goodputBefore, true));
    const soakEnd = rssMiB(pid);
    const s = soak.result;
    const soakErrors = s.busy.count + s.other.count + s.errors + s.unsent;

    const check = (ok: boolean) => (ok ? 'met' : '**not met**');
    const judged = (shape: string, r: LoadResult, recovered: number, paced: number) => {
      const goodputRatio = rate(r) / goodputBefore;
      const errors = r.other.count + r.errors;
      return [
        `| ${engine} | ${shape}: refused p99 ≤ 20 ms | ${ms(r.busy.p99Ms)} ms (${String(paced)} of ${String(r.busy.count)} paced) | ${check((r.busy.p99Ms ?? 0) <= 20)} |`,
        `| ${engine} | ${shape}: admitted p99 ≤ 2 × p99 before overload (${ms(p99Before)} ms at ${String(capacityConnections)} connections) | ${ms(r.ok.p99Ms)} ms (${((r.ok.p99Ms ?? 0) / Math.max(p99Before, 1e-9)).toFixed(2)} ×) | ${check((r.ok.p99Ms ?? 0) <= 2 * p99Before)} |`,
        `| ${engine} | ${shape}: admitted p99 against unloaded p99 (${ms(unloaded.ok.p99Ms)} ms, one connection) | ${((r.ok.p99Ms ?? 0) / Math.max(unloaded.ok.p99Ms ?? 0, 1e-9)).toFixed(1)} × | (reported) |`,
        `| ${engine} | ${shape}: goodput ≥ 80 % of capacity (${goodputBefore.toFixed(0)}/s) | ${rate(r).toFixed(0)}/s (${(100 * goodputRatio).toFixed(0)} %) | ${check(goodputRatio >= 0.8)} |`,
        `| ${engine} | ${shape}: no crash, no error but 503 | ${String(errors)} other answers or socket errors; ${String(r.unsent)} never sent; hub ${proc.exitCode === null ? 'up' : 'exited'} | ${check(errors === 0 && proc.exitCode === null)} |`,
        `| ${engine} | ${shape}: back to normal ≤ 5 s | ${recovered.toFixed(2)} s | ${check(recovered <= 5)} |`,
      ];
    };
    const goals = [
      ...judged('3× capacity (open)', o, recoveredS, pacedOpen),
      ...judged('3× first shed (closed)', closed, closedRecoveredS, pacedClosed),
      `| ${engine} | memory bounded | peak RSS ${over.peakMiB.toFixed(0)} MiB at 3× capacity | (reported) |`,
      `| ${engine} | soak ${String(SOAK_S)} s at 70 % (${(0.7 * goodputBefore).toFixed(0)}/s): no error, RSS growth ≤ 64 MiB | ${String(soakErrors)} errors (${String(s.busy.count)} refused, ${String(s.other.count)} other, ${String(s.errors)} socket, ${String(s.unsent)} never sent); RSS ${soakStart.toFixed(0)} → ${soakEnd.toFixed(0)} MiB (peak ${soak.peakMiB.toFixed(0)}) | ${check(soakErrors === 0 && soakEnd - soakStart <= 64)} |`,
    ];
    return { engine, rows, goals };
  } finally {
    await hub.stop();
  }
}

const reports: EngineReport[] = [];
for (const engine of ENGINES) {
  process.stderr.write(`overload: ${engine}…\n`);
  reports.push(await bench(engine));
}
const body = [
  `${String(HOLDERS)} holders; \`GET ${PATH}\`; ${String(STEP_S)} s per step, ${String(OVERLOAD_S)} s of overload; hub defaults (MAX_IN_FLIGHT, LOOP_DELAY_LIMIT_MS).`,
  '',
  '| engine | load | goodput (200/s) | admitted p50 / p99 (ms) | shed | refused p99 (ms) | hub CPU |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...reports.flatMap((r) => r.rows),
  '',
  '| engine | goal | measured | |',
  '| --- | --- | --- | --- |',
  ...reports.flatMap((r) => r.goals),
];
process.stdout.write(`${body.join('\n')}\n`);
const target = process.env.BENCH_WRITE;
if (target !== undefined && !writeBlock(target, 'overload.bench', machine(), body))
  process.stderr.write(`${target} has no overload.bench block: nothing written\n`);
