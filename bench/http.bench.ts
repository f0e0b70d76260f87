/**
 * The HTTP paths against their ceilings (issue 15; docs/capacity.md#http-paths). In one run:
 *
 * - the ceiling: raw ES256 sign and verify (node:crypto, P-256, one 120-byte message) in this process, and
 *   Fastify's hello world (bench/hello.ts) in as many processes as the hub has workers;
 * - per worker count (BENCH_WORKERS, default 1 and 2) and per engine (SQLite, then PostgreSQL on a fresh database),
 *   a hub (`yimatong serve`, WORKERS) with HOLDERS signed-in,
 *   declared holders: show code (a) a new code each request (each holder's first code: one pass over them),
 *   (b) the holder's current code again; health; verify online without and with a checkpoint region (distinct
 *   codes, round-robin); liveness (`/healthz`).
 *
 * Every row is closed load from bench/load-client.ts in a second process: CONNECTIONS keep-alive connections,
 * each sending again when answered. The hub runs with admission control out of the way (MAX_IN_FLIGHT 100 000,
 * LOOP_DELAY_LIMIT_MS 0): this measures how fast the paths are; shedding is bench/overload.bench.ts's. A path that
 * signs has the ceiling hello world and one raw sign per request composed, 1 / (1/hello + 1/sign), where sign is
 * the raw rate times the workers; one that verifies, likewise with one raw verify.
 *
 *   npm run bench:http     (BENCH_ENGINES=sqlite, BENCH_WORKERS=1 to narrow; BENCH_STEP_SECONDS; BENCH_WRITE=docs/…)
 */
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { measured, patiently, PG_ADMIN, startBenchHub, startListening } from './bench-hub.ts';
import type { Job, LoadResult } from './load-client.ts';
import { machine, median, ms, perSecond, writeBlock } from './report.ts';

const HOLDERS = Number(process.env.BENCH_HOLDERS ?? 2000);
const STEP_S = Number(process.env.BENCH_STEP_SECONDS ?? 5);
const CONNECTIONS = 50;
/** Show code (a)'s pass over every holder ends when each has a code; this only bounds a broken run. */
const PASS_LIMIT_S = 600;
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const HELLO = fileURLToPath(new URL('./hello.ts', import.meta.url));
const REGION = '110105';

type Row = LoadResult & { readonly cpuPct: number };

const composed = (a: number, b: number) => 1 / (1 / a + 1 / b);

/** Operations per second of `op`, the median of three 1-second runs after a warm-up. */
function opsPerSecond(op: () => void): number {
  const once = (ms: number) => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      for (let i = 0; i < 16; i++) op();
      n += 16;
    }
    return (n * 1000) / (performance.now() - t0);
  };
  once(300);
  return median([once(1000), once(1000), once(1000)]);
}

function rawEs256(): { sign: number; verify: number } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const message = randomBytes(120);
  const signature = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return {
    sign: opsPerSecond(() => sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
    verify: opsPerSecond(() => {
      if (!verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature))
        throw new Error('raw verify failed');
    }),
  };
}

function job(url: string, path: string, extra: Partial<Job> = {}): Job {
  return { url, method: 'GET', path, connections: CONNECTIONS, seconds: STEP_S, ...extra };
}

/** The line of one row, with its ratio to `ceiling` and whether it meets `goal` (a ratio) and p99 ≤ 25 ms. */
function line(
  engine: string,
  what: string,
  r: Row,
  ceiling: number,
  ceilingName: string,
  goal?: number,
): string {
  const ratio = perSecond(r) / ceiling;
  const errors = r.busy.count + r.other.count + r.errors;
  const verdict =
    goal === undefined
      ? '(reported)'
      : ratio >= goal && (r.ok.p99Ms ?? Infinity) <= 25
        ? 'met'
        : '**not met**';
  return `| ${engine} | ${what} | ${perSecond(r).toFixed(0)} | ${ms(r.ok.p50Ms)} / ${ms(r.ok.p99Ms)} | ${r.cpuPct.toFixed(0)} % | ${ratio.toFixed(2)} of ${ceilingName}${goal === undefined ? '' : ` (goal ≥ ${String(goal)})`} | ${errors === 0 ? verdict : `**${String(errors)} errors**`} |`;
}

const raw = rawEs256();
process.stderr.write(`raw ES256: sign ${raw.sign.toFixed(0)}/s, verify ${raw.verify.toFixed(0)}/s\n`);
const rows: string[] = [
  `| – | – | raw ES256 sign / verify (node:crypto, in process) | ${raw.sign.toFixed(0)} / ${raw.verify.toFixed(0)} | | | | |`,
];
if (ENGINES.includes('postgres')) {
  const trips = await rawPgRoundTrips();
  process.stderr.write(`raw PostgreSQL round trips: ${trips.toFixed(0)}/s\n`);
  rows.push(
    `| postgres | – | raw round trips: \`SELECT $1\`, ${String(CONNECTIONS)} callers, a 10-connection pool (node-pg, in process) | ${trips.toFixed(0)} | | | (a bound: this / statements per request) | |`,
  );
}

/**
 * Raw PostgreSQL round trips: `SELECT $1` from CONNECTIONS callers over a pool as large as a hub process's (10), in
 * this process, the median of three 1-second runs. A hub path that runs k statements per request is bounded by
 * about this rate / k per process, whatever the hub does around them.
 */
async function rawPgRoundTrips(): Promise<number> {
  const pool = new pg.Pool({ connectionString: PG_ADMIN, max: 10 });
  try {
    await pool.query('SELECT 1');
    const once = async (ms: number) => {
      let n = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (performance.now() - t0 < ms) {
            await pool.query({ text: 'SELECT $1::int AS n', values: [n] });
            n += 1;
          }
        }),
      );
      return (n * 1000) / (performance.now() - t0);
    };
    await once(300);
    return median([await once(1000), await once(1000), await once(1000)]);
  } finally {
    await pool.end();
  }
}

/** Hello world in `workers` processes: the ceiling of that many hub workers. */
async function helloWith(workers: number): Promise<Row> {
  const hello = await startListening(['--import', 'tsx', HELLO], {
    ...process.env,
    BENCH_HELLO_WORKERS: String(workers),
  });
  try {
    await measured(hello.proc.pid ?? 0, { ...job(hello.url, '/'), seconds: 2 }); // warm-up
    return await measured(hello.proc.pid ?? 0, job(hello.url, '/'));
  } finally {
    hello.proc.kill('SIGTERM');
  }
}

/** Every path on one engine with `workers` hub processes (`WORKERS`), against that many hello-world processes. */
async function pathsOn(
  engine: string,
  workers: number,
  { helloRate, signCeiling, verifyCeiling }: Record<'helloRate' | 'signCeiling' | 'verifyCeiling', number>,
): Promise<string[]> {
  process.stderr.write(`http: ${engine}, ${String(workers)} worker(s)…\n`);
  const hub = await startBenchHub({
    engine,
    databaseName: 'ymt_bench_http',
    holders: HOLDERS,
    showCode: false,
    env: { MAX_IN_FLIGHT: '100000', LOOP_DELAY_LIMIT_MS: '0', WORKERS: String(workers) },
  });
  try {
    const { url, pid, tokensFile } = hub;
    // Each row after a 2-second warm-up of the same requests: what the previous row left to the database (a
    // checkpoint, autovacuum after the first codes' inserts) and cold caches are not counted against the next path.
    const run = async (path: string, extra: Partial<Job> = {}) => {
      await measured(pid, job(url, path, { ...extra, seconds: 2, requests: undefined }));
      return measured(pid, job(url, path, extra));
    };
    await measured(pid, job(url, '/healthz', { seconds: 2 })); // warm-up
    // (a): each holder's first code, one pass over them: every request signs a new code (no warm-up: a first code
    // is made only once). The pass runs to its end whatever it takes: cut at STEP_S (as it once was), the holders
    // left without a code made their first one in row (b), which then measured (a) again on a slow engine.
    const fresh = await measured(
      pid,
      job(url, '/api/v1/me/code', { method: 'POST', tokensFile, requests: HOLDERS, seconds: PASS_LIMIT_S }),
    );
    if (fresh.ok.count !== HOLDERS)
      throw new Error(
        `show code (a): ${String(fresh.ok.count)} of ${String(HOLDERS)} holders got a first code`,
      );
    const again = await run('/api/v1/me/code', { tokensFile });
    const health = await run('/api/v1/me/health', { tokensFile });
    // The holders' codes, for verifying: distinct, round-robin.
    const codes: string[] = [];
    for (let i = 0; i < hub.tokens.length; i += 20)
      codes.push(
        ...(await Promise.all(
          hub.tokens.slice(i, i + 20).map(async (token) => {
            const res = await patiently(`${url}/api/v1/me/code`, {
              headers: { authorization: `Bearer ${token}` },
            });
            return ((await res.json()) as { code: string }).code;
          }),
        )),
      );
    const plain = join(hub.dir, 'verify.ndjson');
    const withRegion = join(hub.dir, 'verify-region.ndjson');
    writeFileSync(plain, codes.map((code) => JSON.stringify({ code })).join('\n'));
    writeFileSync(
      withRegion,
      codes.map((code) => JSON.stringify({ code, checkpointRegion: REGION })).join('\n'),
    );
    const verified = await run('/api/v1/verify', { method: 'POST', bodiesFile: plain });
    const verifiedRegion = await run('/api/v1/verify', { method: 'POST', bodiesFile: withRegion });
    const live = await run('/healthz');
    const at = `${engine} | ${String(workers)}`;
    return [
      line(
        at,
        `show code (a): a new code each request (${String(HOLDERS)} holders, once each)`,
        fresh,
        signCeiling,
        'hello + sign',
        0.5,
      ),
      line(at, 'show code (b): the current code again', again, helloRate, 'hello', 0.5),
      line(at, '`GET /api/v1/me/health`', health, helloRate, 'hello', 0.3),
      line(at, 'verify online (distinct codes)', verified, verifyCeiling, 'hello + verify', 0.6),
      line(
        at,
        `verify online with a checkpoint region (${REGION})`,
        verifiedRegion,
        verifyCeiling,
        'hello + verify',
        0.6,
      ),
      line(at, '`GET /healthz`', live, helloRate, 'hello'),
    ];
  } finally {
    await hub.stop();
  }
}

for (const workers of WORKERS) {
  const helloRow = await helloWith(workers);
  const helloRate = perSecond(helloRow);
  const signCeiling = composed(helloRate, raw.sign * workers);
  const verifyCeiling = composed(helloRate, raw.verify * workers);
  rows.push(
    `| – | ${String(workers)} | Fastify hello world | ${helloRate.toFixed(0)} | ${ms(helloRow.ok.p50Ms)} / ${ms(helloRow.ok.p99Ms)} | ${helloRow.cpuPct.toFixed(0)} % | ceiling | |`,
    `| – | ${String(workers)} | composed ceiling: hello + one sign / hello + one verify | ${signCeiling.toFixed(0)} / ${verifyCeiling.toFixed(0)} | | | | |`,
  );
  for (const engine of ENGINES)
    rows.push(...(await pathsOn(engine, workers, { helloRate, signCeiling, verifyCeiling })));
}

const body = [
  `${String(CONNECTIONS)} connections, closed load, ${String(STEP_S)} s per row (show code (a): one pass over ${String(HOLDERS)} holders); admission out of the way; each row against hello world with as many processes (workers) as the hub, a raw sign or verify per worker; goals: the ratio and p99 ≤ 25 ms.`,
  '',
  '| engine | workers | row | req/s | p50 / p99 (ms) | CPU | ratio | goal |',
  '| --- | ---: | --- | ---: | ---: | ---: | --- | --- |',
  ...rows,
];
process.stdout.write(`${body.join('\n')}\n`);
const target = process.env.BENCH_WRITE;
if (target !== undefined && !writeBlock(target, 'http.bench', machine(), body))
  process.stderr.write(`${target} has no http.bench block: nothing written\n`);
