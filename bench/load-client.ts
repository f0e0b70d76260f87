/**
 * The HTTP benchmarks' load generator, run as its own process (bench/bench-hub.ts starts it for
 * bench/overload.bench.ts and bench/http.bench.ts). It shares the hub's machine, so it spends as little CPU per
 * request as it can: raw keep-alive sockets, each request (a holder's token, a body) prepared once as bytes, and
 * only the status line and the body's length read from each answer (Node's HTTP client costs several times more
 * per request, CPU the hub then lacks). Tokens and bodies are taken round-robin.
 *
 * Three shapes of load:
 * - **closed** (no `rate`): CONNECTIONS clients, each sending its next request as soon as the last is answered —
 *   clients that ignore Retry-After and retry at once (issue 14's finding 3); with `requests`, it stops after that
 *   many;
 * - **paced** (`rate` and `paced`): CONNECTIONS clients, each sending one request every CONNECTIONS / RATE seconds
 *   (at once when it is behind) — a steady population, for the soak;
 * - **open** (`rate`): requests arrive at RATE per second whatever the answers, each sent on an idle connection of
 *   CONNECTIONS (one waits for a connection when none is idle). A request's latency counts from when it was due,
 *   not from when a connection was free, so a slow hub is not hidden by a client that waited for it.
 *
 * Prints one JSON line: per outcome (200, 503 busy, anything else) the count and latency quantiles; socket errors
 * apart.
 *
 *   node --import tsx bench/load-client.ts '{"url":…,"path":…,"method":…,"tokensFile":…,"connections":N,"seconds":S}'
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

export interface Job {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** A file with one holder's session token per line (sent as `authorization: Bearer …`). */
  readonly tokensFile?: string;
  /** A file with one JSON body per line, sent in turn (with `tokensFile`, the i-th token with the i-th body). */
  readonly bodiesFile?: string;
  /** Closed load: stop after this many requests (each holder once: `requests` = the number of tokens). */
  readonly requests?: number;
  readonly connections: number;
  readonly seconds: number;
  /** Open load: requests per second over all connections; absent: closed (as fast as answers come). */
  readonly rate?: number;
  /** With `rate`: each connection keeps its own cadence instead of sharing the arrivals. */
  readonly paced?: boolean;
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
  /** Open load: requests that were due but never sent before the end (no idle connection). */
  readonly unsent: number;
}

function outcome(samples: number[]): Outcome {
  if (samples.length === 0) return { count: 0, p50Ms: null, p99Ms: null, maxMs: null };
  const sorted = Float64Array.from(samples).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null;
  return { count: sorted.length, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: sorted[sorted.length - 1] ?? null };
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

/**
 * One keep-alive connection: `send` a prepared request, `onAnswer` gets its status when the whole answer is in.
 * Answers without a content-length (chunked) are not expected from the hub and count as a socket error.
 */
class Connection {
  private pending: Buffer = Buffer.alloc(0);
  private bodyLeft = -1;
  private status = 0;
  private readonly socket: Socket;
  busy = false;

  /** Settles when the connection is open (or failed: it then counts one error when used). */
  readonly ready: Promise<void>;

  constructor(
    host: string,
    port: number,
    private readonly onAnswer: (status: number) => void,
    private readonly onError: () => void,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.ready = new Promise((resolve) => {
      this.socket.once('connect', resolve).once('error', () => {
        resolve();
      });
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.read(chunk);
    });
    this.socket.on('error', () => {
      this.fail();
    });
    this.socket.on('close', () => {
      this.fail();
    });
  }

  send(request: Buffer): void {
    this.busy = true;
    this.socket.write(request);
  }

  close(): void {
    this.busy = true;
    this.socket.destroy();
  }

  private fail(): void {
    if (this.busy) this.onError();
    this.busy = true; // never used again
  }

  private read(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      if (this.bodyLeft < 0) {
        const end = this.pending.indexOf(HEADER_END);
        if (end < 0) return;
        const head = this.pending.toString('latin1', 0, end);
        const length = CONTENT_LENGTH.exec(head);
        if (!length?.[1]) {
          this.socket.destroy();
          return;
        }
        this.status = Number(head.slice(9, 12));
        this.bodyLeft = Number(length[1]);
        this.pending = this.pending.subarray(end + HEADER_END.length);
      }
      if (this.pending.length < this.bodyLeft) return;
      this.pending = this.pending.subarray(this.bodyLeft);
      this.bodyLeft = -1;
      this.busy = false;
      this.onAnswer(this.status);
      if (this.pending.length === 0) return;
    }
  }
}

async function run(job: Job): Promise<LoadResult> {
  const target = new URL(job.url);
  const lines = (file: string | undefined) =>
    file === undefined ? [] : readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const tokens = lines(job.tokensFile);
  const bodies = lines(job.bodiesFile);
  const requests = Array.from({ length: Math.max(tokens.length, bodies.length, 1) }, (_, i) => {
    const token = tokens[i % Math.max(1, tokens.length)];
    const body = bodies.length === 0 ? '' : (bodies[i % bodies.length] ?? '');
    const head =
      `${job.method} ${job.path} HTTP/1.1\r\nhost: ${target.host}\r\n` +
      (token === undefined ? '' : `authorization: Bearer ${token}\r\n`) +
      (body === '' ? '' : 'content-type: application/json\r\n') +
      (job.method === 'POST' ? `content-length: ${String(Buffer.byteLength(body))}\r\n` : '') +
      '\r\n';
    return Buffer.from(head + body, 'utf8');
  });
  let sent = 0;
  const ok: number[] = [];
  const busy: number[] = [];
  const other: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  let started = performance.now();
  let end = Number.POSITIVE_INFINITY;
  const nextRequest = () => requests[next++ % requests.length] ?? Buffer.alloc(0);

  // Per connection: when its request in flight was due (open) or sent (closed).
  const dueAt = new Map<Connection, number>();
  const idle: Connection[] = [];
  /** Open load: due times of requests waiting for an idle connection. */
  const waiting: number[] = [];
  let waitingHead = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let outstanding = 0;

  /** Paced load: when each connection sends next, and how often. */
  const nextDue = new Map<Connection, number>();
  const cadenceMs = job.rate === undefined ? 0 : (1000 * job.connections) / job.rate;

  /** Sends `c` its next request if there is one to send; false when it stays idle. */
  const dispatch = (c: Connection): boolean => {
    const now = performance.now();
    if (now >= end) {
      if (outstanding === 0) finish();
      return false;
    }
    if (job.requests !== undefined && sent >= job.requests) {
      if (outstanding === 0) finish();
      return false;
    }
    if (job.rate === undefined) {
      dueAt.set(c, now);
    } else if (job.paced === true) {
      const due = nextDue.get(c) ?? now;
      if (due > now) {
        setTimeout(() => void dispatch(c), due - now);
        return false;
      }
      nextDue.set(c, due + cadenceMs);
      dueAt.set(c, now);
    } else if (waitingHead < waiting.length) {
      dueAt.set(c, waiting[waitingHead++] ?? now);
    } else {
      idle.push(c);
      return false;
    }
    outstanding++;
    sent++;
    c.send(nextRequest());
    return true;
  };

  const connections = Array.from({ length: job.connections }, () => {
    const c: Connection = new Connection(
      target.hostname,
      Number(target.port),
      (status) => {
        outstanding--;
        const ms = performance.now() - (dueAt.get(c) ?? 0);
        if (status === 200) ok.push(ms);
        else if (status === 503) busy.push(ms);
        else {
          other.push(ms);
          statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
        }
        void dispatch(c);
      },
      () => {
        outstanding--;
        errors++;
        if (performance.now() >= end && outstanding === 0) finish();
      },
    );
    return c;
  });

  // Every connection is open before the clock starts: a thousand connections opened at once would otherwise be
  // measured as the hub's latency.
  await Promise.all(connections.map((c) => c.ready));
  started = performance.now();
  end = started + job.seconds * 1000;
  if (job.rate === undefined) {
    for (const c of connections) void dispatch(c);
  } else if (job.paced === true) {
    // Spread over one cadence, not all at once.
    connections.forEach((c, i) => nextDue.set(c, started + (cadenceMs * i) / connections.length));
    for (const c of connections) void dispatch(c);
  } else {
    idle.push(...connections);
    const gapMs = 1000 / job.rate;
    let due = started;
    const tick = () => {
      const now = performance.now();
      for (; due <= now && due < end; due += gapMs) waiting.push(due);
      while (waitingHead < waiting.length) {
        const c = idle.pop();
        if (c === undefined || !dispatch(c)) break;
      }
      if (now < end) setTimeout(tick, 1);
      else if (outstanding === 0) finish();
    };
    tick();
  }
  const timer = setTimeout(() => {
    if (outstanding === 0) finish();
  }, job.seconds * 1000);
  await done;
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  for (const c of connections) c.close();
  return {
    seconds,
    ok: outcome(ok),
    busy: outcome(busy),
    other: { ...outcome(other), statuses },
    errors,
    unsent: waiting.length - waitingHead,
  };
}

const arg = process.argv[2];
if (arg === undefined) throw new Error('usage: load-client.ts JOB_JSON');
process.stdout.write(`${JSON.stringify(await run(JSON.parse(arg) as Job))}\n`);
