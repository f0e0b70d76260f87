import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app/context.ts';

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
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
      () => ({ status: 'ok' as const, engine: ctx.engine, role: ctx.role, issuer: ctx.issuer }),
    );
  };
}
