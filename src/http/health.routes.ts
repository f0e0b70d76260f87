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
          summary: 'Liveness: the process answers',
          tags: ['operations'],
          response: { 200: Type.Object({ status: Type.Literal('ok'), engine: Type.String() }) },
        },
      },
      () => ({ status: 'ok' as const, engine: ctx.engine }),
    );
  };
}
