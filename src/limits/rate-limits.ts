/**
 * Rate limits (docs/operations.md#rate-limits), on rate-limiter-flexible: in Redis when REDIS_URL is set — shared
 * by every hub instance, with an in-memory limiter standing in while Redis cannot be reached —, in the cluster's
 * primary when `yimatong serve --workers N` runs several processes without Redis (`limitWorkers` there), and in this
 * process's memory otherwise.
 *
 * - Real-name sign-in and a province's identity checks: a few failures are free; after them each failure locks the
 *   key (the document number; the client's address) for a delay that doubles, up to a few minutes, during which
 *   the check is not even tried: `429 YMT_ERR_RATE_LIMITED` with `Retry-After`. A success clears the document's
 *   count, so its holder is never locked out for long.
 * - Filing tickets and applying for codes: a budget per holder far above what a person does.
 */
import type { Redis } from 'ioredis';
import {
  RateLimiterCluster,
  RateLimiterClusterMaster,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error.ts';

/** A limit's settings: `points` in `seconds`. */
interface Budget {
  readonly points: number;
  readonly seconds: number;
}

/** Failures free per window before the growing delays start, and the longest delay. */
export const FAILURES = {
  perDocument: { free: 5, windowSeconds: 15 * 60 },
  perClient: { free: 20, windowSeconds: 15 * 60 },
  maxDelaySeconds: 300,
} as const;

export const BUDGETS = {
  /** Tickets (corrections, reports) a holder files. */
  tickets: { points: 20, seconds: 3600 },
  /** Code applications a holder makes (re-showing included): 30 a second, sustained for 10 s. */
  codes: { points: 300, seconds: 10 },
} as const satisfies Record<string, Budget>;

export type LimitName = keyof typeof BUDGETS | 'failures';

/** The delay after the n-th failure beyond the free ones (2, 4, 8 … seconds, capped at five minutes). */
export function delayAfter(failuresBeyondFree: number): number {
  return Math.min(2 ** Math.max(1, failuresBeyondFree), FAILURES.maxDelaySeconds);
}

function refusal(msBeforeNext: number): AppError {
  const e = new AppError('YMT_ERR_RATE_LIMITED');
  e.retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return e;
}

export class RateLimits {
  private readonly failures: RateLimiterAbstract;
  private readonly locks: RateLimiterAbstract;
  private readonly budgets: Record<keyof typeof BUDGETS, RateLimiterAbstract>;
  /** Refusals per limit, for /metrics. */
  readonly hits: Record<LimitName, number> = { failures: 0, tickets: 0, codes: 0 };

  constructor(
    /** Keys are stored hashed (an HMAC): no document number or address sits in Redis. */
    private readonly hash: (key: string) => string,
    private readonly redis?: Redis,
    /** A worker of `serve --workers`: without Redis, the cluster's primary keeps the counts for every worker. */
    clusterWorker = false,
  ) {
    const make = (keyPrefix: string, b: Budget): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix, points: b.points, duration: b.seconds });
      if (!redis && clusterWorker)
        return new RateLimiterCluster({ keyPrefix, points: b.points, duration: b.seconds, timeoutMs: 2000 });
      return redis
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `ymt:${keyPrefix}`,
            points: b.points,
            duration: b.seconds,
            // Redis away: each instance limits on its own meanwhile, rather than not at all.
            insuranceLimiter: memory,
          })
        : memory;
    };
    const window = Math.max(FAILURES.perDocument.windowSeconds, FAILURES.perClient.windowSeconds);
    // Failures are counted (never refused by this one: `points` is out of reach); locks hold the delays.
    this.failures = make('fail', { points: 1_000_000, seconds: window });
    this.locks = make('lock', { points: 1, seconds: FAILURES.maxDelaySeconds });
    this.budgets = {
      tickets: make('tickets', BUDGETS.tickets),
      codes: make('codes', BUDGETS.codes),
    };
  }

  /** Whether the limits live in Redis (REDIS_URL), shared by every hub instance. */
  get shared(): boolean {
    return this.redis !== undefined;
  }

  /** Whether Redis answers (undefined: no Redis configured). */
  async redisUp(): Promise<boolean | undefined> {
    if (!this.redis) return undefined;
    try {
      await this.redis.ping();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A check that can be guessed (sign-in, identity checks): refused while any of its keys is locked; a failure
   * counts against each key, and past its free ones locks it for a growing delay; a success clears the keys named
   * in `clearOnSuccess`. `keys`: [key, free failures] pairs.
   */
  async guarded<T>(
    keys: readonly (readonly [string, number])[],
    clearOnSuccess: readonly string[],
    attempt: () => Promise<T>,
    failed: (e: unknown) => boolean,
  ): Promise<T> {
    const hashed = keys.map(([key, free]) => [this.hash(key), free] as const);
    const clear = clearOnSuccess.map((k) => this.hash(k));
    for (const [key] of hashed) {
      const lock = await this.locks.get(key);
      if (lock !== null && lock.consumedPoints > 0 && lock.msBeforeNext > 0) {
        this.hits.failures++;
        throw refusal(lock.msBeforeNext);
      }
    }
    try {
      const result = await attempt();
      for (const key of clear) await this.failures.delete(key);
      return result;
    } catch (e) {
      if (failed(e))
        for (const [key, free] of hashed) {
          const r = await this.failures.penalty(key, 1);
          if (r.consumedPoints > free) await this.locks.block(key, delayAfter(r.consumedPoints - free));
        }
      throw e;
    }
  }

  /** Takes one point of a holder's budget; `429 YMT_ERR_RATE_LIMITED` when it is spent. */
  async take(name: keyof typeof BUDGETS, key: string): Promise<void> {
    try {
      await this.budgets[name].consume(this.hash(key), 1);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      this.hits[name]++;
      throw refusal(e.msBeforeNext);
    }
  }

  async close(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => undefined);
  }
}

/** In the primary of `serve --workers`: the limits its workers share (once, before they start). */
export function limitWorkers(): void {
  new RateLimiterClusterMaster();
}

/**
 * The Redis client of REDIS_URL, connected (or given up on after two seconds: the in-memory limiter stands in until
 * it connects). It fails fast while Redis is away and is never fatal.
 */
export async function redisClient(url: string, onError: (e: Error) => void): Promise<Redis> {
  // Loaded only when REDIS_URL is set (less memory for a hub without it).
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  });
  redis.on('error', onError);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return redis;
}
