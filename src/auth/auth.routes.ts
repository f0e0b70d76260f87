import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bearerToken, SESSION_COOKIE } from '../http/authenticate.ts';
import { DocumentFields, ERROR_RESPONSES } from '../http/schemas.ts';
import type { Clock } from '../time/clock.ts';
import type { AuthService } from './auth.service.ts';

export const RealNameBody = Type.Object(
  { ...DocumentFields, name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

const SessionResponse = Type.Object({
  token: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresAt: Type.String({ format: 'date-time' }),
});

export interface AuthRoutesDeps {
  readonly auth: AuthService;
  readonly clock: Clock;
  /** The session cookie: Secure or not (COOKIE_SECURE), and how long it lives (SESSION_TTL_SECONDS). */
  readonly cookie: { readonly secure: boolean; readonly maxAgeSeconds: number };
}

export function authRoutes({ auth, clock, cookie }: AuthRoutesDeps): FastifyPluginAsyncTypebox {
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
        const session = await auth.signIn(request.body, clock());
        void reply.setCookie(SESSION_COOKIE, session.token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: cookie.secure,
          path: '/',
          maxAge: cookie.maxAgeSeconds,
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
        if (token) await auth.signOut(token);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );
  };
}
