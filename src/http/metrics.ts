/**
 * Request metrics for the operations console: per one-minute bucket, the `/api/` requests that arrived, the
 * responses by status class, the busy refusals (503 YMT_ERR_BUSY) and the latency (p50, p99), for the last 60
 * minutes; with the requests in flight now and their limit. In memory, per process; no timers: every call
 * takes the time. src/http/overload.ts records into it; the console's capacity section reads it.
 */

/** Sub-buckets per doubling of the latency histogram: each spans a factor 2^(1/8) ≈ 1.09. */
const PER_OCTAVE = 8;
/** Lowest bound of the histogram: 2^-4 ms = 62.5 µs; faster responses fall into bucket 0. */
const LOWEST_OCTAVE = -4;
/** Highest bound: 2^17 ms ≈ 131 s; slower responses fall into the last bucket. */
const HIGHEST_OCTAVE = 17;
/** Bucket 0 below the lowest bound, then 8 per doubling, then one from the highest bound on. */
const BUCKETS = 1 + (HIGHEST_OCTAVE - LOWEST_OCTAVE) * PER_OCTAVE + 1;

/**
 * The largest relative error of a reported quantile: it is the geometric middle of its bucket, within
 * 2^(1/16) ≈ 4.4 % of every sample in that bucket. Below 62.5 µs it reports 62.5 µs; from 2^17 ms on, 2^17 ms.
 */
export const LATENCY_RELATIVE_ERROR = 2 ** (1 / (2 * PER_OCTAVE)) - 1;

/** A fixed log-scale histogram of latencies in milliseconds: a few hundred counters, not the samples. */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;

  get count(): number {
    return this.total;
  }

  record(ms: number): void {
    const position = (Math.log2(ms) - LOWEST_OCTAVE) * PER_OCTAVE;
    // NaN, negative and tiny values all land in bucket 0.
    const bucket = position >= 0 ? Math.min(BUCKETS - 1, 1 + Math.floor(position)) : 0;
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.total++;
  }

  /** The nearest-rank quantile `q` (0 < q ≤ 1), within LATENCY_RELATIVE_ERROR; undefined when empty. */
  quantile(q: number): number | undefined {
    if (this.total === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    let bucket = 0;
    for (; bucket < BUCKETS - 1; bucket++) {
      seen += this.counts[bucket] ?? 0;
      if (seen >= rank) break;
    }
    if (bucket === 0) return 2 ** LOWEST_OCTAVE;
    if (bucket === BUCKETS - 1) return 2 ** HIGHEST_OCTAVE;
    return 2 ** (LOWEST_OCTAVE + (bucket - 0.5) / PER_OCTAVE);
  }
}

/** What the admission reports (src/http/admission.ts): holders' requests in flight and MAX_IN_FLIGHT. */
export interface InFlightGauge {
  readonly inFlight: number;
  readonly limit: number;
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

export interface MinuteMetrics {
  /** Start of the minute (UTC, ISO 8601). */
  readonly minute: string;
  /** `/api/` requests that arrived in the minute, refused ones included. */
  readonly requests: number;
  /** Responses sent in the minute, by status class (a request whose client left may have none). */
  readonly status: Readonly<Record<StatusClass, number>>;
  /** Requests refused in the minute because too many were in flight (also counted in `status['5xx']`). */
  readonly busy: number;
  /** Latency of the minute's responses (ms, within LATENCY_RELATIVE_ERROR); null without responses. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

export interface MetricsSnapshot {
  readonly inFlight: number;
  readonly limit: number;
  /** When recording started (the process's start). */
  readonly since: string;
  /** Oldest first: every minute of the last 60, the current one included, none before `since`. */
  readonly minutes: readonly MinuteMetrics[];
}

const MINUTE_MS = 60_000;
/** Minutes kept. */
export const METRICS_WINDOW_MINUTES = 60;

class Bucket {
  requests = 0;
  readonly status: Record<StatusClass, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  busy = 0;
  readonly latency = new LatencyHistogram();
  constructor(readonly minute: number) {}
}

function statusClass(code: number): StatusClass | undefined {
  if (code >= 200 && code < 300) return '2xx';
  if (code >= 300 && code < 400) return '3xx';
  if (code >= 400 && code < 500) return '4xx';
  if (code >= 500 && code < 600) return '5xx';
  return undefined;
}

const slotOf = (minute: number): number =>
  ((minute % METRICS_WINDOW_MINUTES) + METRICS_WINDOW_MINUTES) % METRICS_WINDOW_MINUTES;

const round = (ms: number | undefined): number | null =>
  ms === undefined ? null : Math.round(ms * 1000) / 1000;

export class RequestMetrics {
  /** Ring of the last 60 minutes, indexed by minute number modulo 60. */
  private readonly ring: (Bucket | undefined)[] = new Array<Bucket | undefined>(METRICS_WINDOW_MINUTES);
  private readonly sinceMs: number;

  constructor(
    private readonly gauge: InFlightGauge,
    startedAt: Date,
  ) {
    this.sinceMs = startedAt.getTime();
  }

  /** An `/api/` request arrived (before admission decides). */
  arrived(now: Date): void {
    const b = this.bucket(now);
    if (b) b.requests++;
  }

  /** An `/api/` request was refused: too many in flight. */
  refused(now: Date): void {
    const b = this.bucket(now);
    if (b) b.busy++;
  }

  /** An `/api/` response was sent `elapsedMs` after its request arrived. */
  responded(now: Date, statusCode: number, elapsedMs: number): void {
    const b = this.bucket(now);
    const cls = statusClass(statusCode);
    if (!b || cls === undefined) return;
    b.status[cls]++;
    b.latency.record(elapsedMs);
  }

  snapshot(now: Date): MetricsSnapshot {
    const current = Math.floor(now.getTime() / MINUTE_MS);
    const first = Math.max(current - METRICS_WINDOW_MINUTES + 1, Math.floor(this.sinceMs / MINUTE_MS));
    const minutes: MinuteMetrics[] = [];
    for (let m = first; m <= current; m++) {
      const b = this.ring[slotOf(m)];
      const seen = b?.minute === m ? b : undefined;
      minutes.push({
        minute: new Date(m * MINUTE_MS).toISOString(),
        requests: seen?.requests ?? 0,
        status: { ...(seen?.status ?? { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }) },
        busy: seen?.busy ?? 0,
        p50Ms: round(seen?.latency.quantile(0.5)),
        p99Ms: round(seen?.latency.quantile(0.99)),
      });
    }
    return {
      inFlight: this.gauge.inFlight,
      limit: this.gauge.limit,
      since: new Date(this.sinceMs).toISOString(),
      minutes,
    };
  }

  /** The bucket of `now`'s minute, emptied if it still holds the minute an hour before; none for older times. */
  private bucket(now: Date): Bucket | undefined {
    const minute = Math.floor(now.getTime() / MINUTE_MS);
    const slot = slotOf(minute);
    const b = this.ring[slot];
    if (b?.minute === minute) return b;
    // A clock that went back more than the window: the slot now belongs to a later minute.
    if (b && b.minute > minute) return undefined;
    const fresh = new Bucket(minute);
    this.ring[slot] = fresh;
    return fresh;
  }
}
