import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app/context.ts';
import { bearerToken, SESSION_COOKIE } from '../http/authenticate.ts';
import { DocumentFields, ERROR_RESPONSES } from '../http/schemas.ts';

export const RealNameBody = Type.Object(
  { ...DocumentFields, name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

const SessionResponse = Type.Object({
  token: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresAt: Type.String({ format: 'date-time' }),
});

export function authRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/auth/real-name',
      {
        schema: {
          operationId: 'realNameAuthenticate',
          summary: '实名认证 (unified identity authentication): sign in with a document and a name',
          tags: ['identity'],
          body: RealNameBody,
          response: { 200: SessionResponse, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const session = await ctx.auth.signIn(request.body, ctx.clock());
        void reply.setCookie(SESSION_COOKIE, session.token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: ctx.config.cookieSecure,
          path: '/',
          maxAge: ctx.config.sessionTtlSeconds,
        });
        return {
          token: session.token,
          tokenType: 'Bearer' as const,
          expiresAt: new Date(session.expiresAt).toISOString(),
        };
      },
    );

    app.post(
      '/api/v1/auth/sign-out',
      {
        schema: {
          operationId: 'signOut',
          summary: 'End the session',
          tags: ['identity'],
          response: { 204: Type.Null(), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const token = bearerToken(request);
        if (token) await ctx.auth.signOut(token);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );
  };
}
