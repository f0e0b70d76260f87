/**
 * Overload protection: at most MAX_IN_FLIGHT `/api/` requests are served at once; one more is refused at once
 * with 503 YMT_ERR_BUSY and `Retry-After: BUSY_RETRY_AFTER_SECONDS`, before its body is read, rather than
 * queued until every request is slow. `/healthz`, `/.well-known/…`, `/openapi.json` and the web page are never
 * refused. The same hooks record every `/api/` request in the process's RequestMetrics (src/http/metrics.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import type { Clock } from '../time/clock.ts';
import type { RequestMetrics } from './metrics.ts';

/** Counts requests in flight against a fixed limit. No I/O, no Fastify: the hooks below drive it. */
export class InFlightLimiter {
  private count = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('the limit must be a positive integer');
  }

  get inFlight(): number {
    return this.count;
  }

  /** Takes a slot: false (and nothing taken) when all `limit` are taken. */
  tryAcquire(): boolean {
    if (this.count >= this.limit) return false;
    this.count++;
    return true;
  }

  /** Gives back a slot taken by tryAcquire. */
  release(): void {
    if (this.count === 0) throw new Error('release without a matching tryAcquire');
    this.count--;
  }
}

/** The requests that count and may be refused: the API, not liveness, trust material, the spec or the page. */
export function isApiPath(url: string): boolean {
  return url.startsWith('/api/');
}

export function installOverloadProtection(
  app: FastifyInstance,
  deps: {
    readonly limiter: InFlightLimiter;
    readonly metrics: RequestMetrics;
    /** Retry-After of a refusal (BUSY_RETRY_AFTER_SECONDS). */
    readonly retryAfterSeconds: number;
    readonly clock: Clock;
  },
): void {
  const { limiter, metrics, clock } = deps;
  const holding = new WeakSet<FastifyRequest>();
  /** Idempotent: whichever of the signals below comes first gives the slot back, the others do nothing. */
  const free = (request: FastifyRequest): void => {
    if (holding.delete(request)) limiter.release();
  };

  app.addHook('onRequest', async (request, reply) => {
    if (!isApiPath(request.url)) return;
    const now = clock();
    metrics.arrived(now);
    if (!limiter.tryAcquire()) {
      metrics.refused(now);
      // The error handler keeps headers set before the error.
      void reply.header('retry-after', String(deps.retryAfterSeconds));
      throw new AppError('YMT_ERR_BUSY');
    }
    holding.add(request);
    // A client that leaves while its request body is still coming in fires onRequestAbort; one that leaves
    // once the body is in, while the handler works, fires neither that nor onResponse (nothing is sent):
    // the response's `close` covers it.
    reply.raw.once('close', () => {
      free(request);
    });
  });
  app.addHook('onResponse', async (request, reply) => {
    free(request);
    if (isApiPath(request.url)) metrics.responded(clock(), reply.statusCode, reply.elapsedTime);
  });
  app.addHook('onRequestAbort', async (request) => {
    free(request);
  });
}
