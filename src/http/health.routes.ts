import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

/** What liveness reports of this process. */
export interface ProcessIdentity {
  readonly engine: string;
  readonly role: 'hub' | 'province';
  /** `iss` of this process's codes. */
  readonly issuer: string;
}

export function healthRoutes(me: ProcessIdentity): FastifyPluginAsyncTypebox {
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
  };
}
