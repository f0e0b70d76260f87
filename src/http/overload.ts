/**
 * Overload protection (docs/operations.md#overload): each `/api/` request is classed and admitted or shed by the
 * Admission (src/http/admission.ts) as soon as its headers are read — at the HTTP server, before Fastify builds
 * anything for it, so that refusing costs little more than reading the request and writing the answer. A shed
 * request gets 503 YMT_ERR_BUSY with `Retry-After: BUSY_RETRY_AFTER_SECONDS` from a body serialised once.
 * `/healthz`, `/readyz`, `/metrics`, `/.well-known/…`, `/openapi.json` and the web page are never shed. Clients
 * that ask again the moment they are refused get their refusals paced (src/http/refusal-pacer.ts), so that
 * refusing never takes the admitted requests' CPU. The same gate records every `/api/` request in the process's
 * RequestMetrics (src/http/metrics.ts).
 *
 * Requests that do not come through the server (`app.inject`) meet the same gate in an onRequest hook.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import type { Clock } from '../time/clock.ts';
import { priorityOf, type Admission } from './admission.ts';
import type { RequestMetrics } from './metrics.ts';
import type { RefusalPacer } from './refusal-pacer.ts';

/** The requests that count and may be refused: the API, not liveness, trust material, the spec or the page. */
export function isApiPath(url: string): boolean {
  return url.startsWith('/api/');
}

const GATED = Symbol('ymt.gated');

/** Admits (true: serve it) or answers 503 at once (false: it is done). Frees the slot when the response closes. */
export type Gate = (req: IncomingMessage, res: ServerResponse) => boolean;

export function admissionGate(deps: {
  readonly admission: Admission;
  readonly metrics: RequestMetrics;
  /** Retry-After of a refusal (BUSY_RETRY_AFTER_SECONDS). */
  readonly retryAfterSeconds: number;
  readonly clock: Clock;
  /** When refusals are answered: at once within their budget, else paced (src/http/refusal-pacer.ts). */
  readonly pacer: RefusalPacer;
}): Gate {
  const { admission, metrics, clock, pacer } = deps;
  const body = Buffer.from(JSON.stringify(new AppError('YMT_ERR_BUSY').toBody()));
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
    'retry-after': String(deps.retryAfterSeconds),
  };
  return (req, res) => {
    (req as unknown as Record<symbol, boolean>)[GATED] = true;
    const url = req.url ?? '/';
    if (!isApiPath(url)) return true;
    const now = clock();
    metrics.arrived(now);
    const p = priorityOf(req.method ?? 'GET', url);
    if (admission.tryAdmit(p) !== undefined) {
      metrics.refused(now);
      pacer.refuse(() => {
        if (!res.destroyed) res.writeHead(503, headers).end(body);
      });
      return false;
    }
    pacer.admitted();
    const t0 = performance.now();
    // `close` follows every response: sent, or its client gone (before or after its body was read).
    res.once('close', () => {
      admission.release(p);
    });
    res.once('finish', () => {
      metrics.responded(clock(), res.statusCode, performance.now() - t0);
    });
    return true;
  };
}

/** The gate for requests that did not come through the server (injected): the same decision, in a hook. */
export function installOverloadProtection(app: FastifyInstance, gate: Gate): void {
  app.addHook('onRequest', async (request, reply) => {
    if ((request.raw as unknown as Record<symbol, boolean | undefined>)[GATED] === true) return;
    if (!gate(request.raw, reply.raw)) reply.hijack();
  });
}
