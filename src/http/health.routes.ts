import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

/** What liveness reports of this process. */
export interface ProcessIdentity {
  readonly engine: string;
  readonly role: 'hub' | 'province';
  /** `iss` of this process's codes. */
  readonly issuer: string;
}

/**
 * Liveness (`/healthz`: the process answers — restart it if not) and readiness (`/readyz`: it can serve — route
 * traffic elsewhere while not, but do not restart it: it recovers by itself when its database is back).
 */
export function healthRoutes(
  me: ProcessIdentity & {
    /** What readiness depends on, asked on every call. */
    readonly ready: () => Promise<{ readonly database: boolean }>;
    readonly retryAfterSeconds: number;
  },
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/healthz',
      {
        schema: {
          operationId: 'liveness',
          summary: 'Liveness: the process answers, with its role (the hub, or the node of which province)',
          tags: ['operations'],
          response: {
            200: Type.Object({
              status: Type.Literal('ok'),
              engine: Type.String(),
              role: Type.Union([Type.Literal('hub'), Type.Literal('province')]),
              issuer: Type.String({
                description: "iss of this process's codes: the hub's id or the province's code",
              }),
            }),
          },
        },
      },
      () => ({ status: 'ok' as const, engine: me.engine, role: me.role, issuer: me.issuer }),
    );

    const Readiness = Type.Object({
      status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
      database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    });
    app.get(
      '/readyz',
      {
        schema: {
          operationId: 'readiness',
          summary:
            'Readiness: 200 when the database answers; 503 with Retry-After while it does not (the process stays up and recovers by itself)',
          tags: ['operations'],
          response: { 200: Readiness, 503: Readiness },
        },
      },
      async (_request, reply) => {
        const { database } = await me.ready();
        if (database) return { status: 'ready' as const, database: 'up' as const };
        return reply
          .status(503)
          .header('retry-after', String(me.retryAfterSeconds))
          .send({ status: 'unavailable' as const, database: 'down' as const });
      },
    );
  };
}
