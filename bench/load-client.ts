/**
 * The overload benchmark's load generator, run as its own process (bench/overload.bench.ts starts it): CONNECTIONS
 * keep-alive connections, each sending its next request as soon as the last is answered (clients that ignore
 * Retry-After), or paced to RATE requests per second in total; holders taken round-robin. Prints one JSON line:
 * per outcome (200, 503 busy, anything else) the count and latency quantiles; socket errors apart.
 *
 *   node --import tsx bench/load-client.ts '{"url":…,"path":…,"method":…,"tokensFile":…,"connections":N,"seconds":S}'
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

interface Job {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** A file with one holder's session token per line. */
  readonly tokensFile: string;
  readonly connections: number;
  readonly seconds: number;
  /** Paced: requests per second over all connections; absent: as fast as answers come. */
  readonly rate?: number;
}

export interface Outcome {
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

export interface LoadResult {
  readonly seconds: number;
  readonly ok: Outcome;
  readonly busy: Outcome;
  readonly other: Outcome & { readonly statuses: Record<string, number> };
  readonly errors: number;
}

function outcome(samples: number[]): Outcome {
  if (samples.length === 0) return { count: 0, p50Ms: null, p99Ms: null, maxMs: null };
  const sorted = Float64Array.from(samples).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null;
  return { count: sorted.length, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: sorted[sorted.length - 1] ?? null };
}

async function run(job: Job): Promise<LoadResult> {
  const target = new URL(job.url);
  const tokens = readFileSync(job.tokensFile, 'utf8').split('\n').filter(Boolean);
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  const ok: number[] = [];
  const busy: number[] = [];
  const other: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const end = started + job.seconds * 1000;
  const gapMs = job.rate === undefined ? 0 : (1000 * job.connections) / job.rate;

  const once = (token: string) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          method: job.method,
          path: job.path,
          agent,
          headers: { authorization: `Bearer ${token}`, 'content-length': '0' },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const ms = performance.now() - t0;
            const status = res.statusCode ?? 0;
            if (status === 200) ok.push(ms);
            else if (status === 503) busy.push(ms);
            else {
              other.push(ms);
              statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
            }
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        // A refused or reset connection: wait a little rather than spin.
        setTimeout(resolve, 10);
      });
      req.end();
    });

  await Promise.all(
    Array.from({ length: job.connections }, async (_, c) => {
      // Paced connections start spread over one gap, not all at once.
      let due = started + (gapMs * c) / job.connections;
      while (performance.now() < end) {
        if (gapMs > 0) {
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          due += gapMs;
          if (performance.now() >= end) break;
        }
        const token = tokens[next++ % tokens.length] ?? '';
        await once(token);
      }
    }),
  );
  agent.destroy();
  return {
    seconds: (performance.now() - started) / 1000,
    ok: outcome(ok),
    busy: outcome(busy),
    other: { ...outcome(other), statuses },
    errors,
  };
}

const arg = process.argv[2];
if (arg === undefined) throw new Error('usage: load-client.ts JOB_JSON');
process.stdout.write(`${JSON.stringify(await run(JSON.parse(arg) as Job))}\n`);
