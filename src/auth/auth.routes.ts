import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import { AppError } from '../errors/app-error.ts';
import { bearerToken, refuseForeignOrigin, SESSION_COOKIE } from '../http/authenticate.ts';
import { DocumentFields, MrzField, ERROR_RESPONSES } from '../http/schemas.ts';
import { FAILURES, type RateLimits } from '../limits/rate-limits.ts';
import type { Clock } from '../time/clock.ts';
import type { AuthService, Session } from './auth.service.ts';

export const RealNameBody = Type.Object(
  { ...DocumentFields, ...MrzField, name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

const ConfirmationResponse = Type.Object({
  confirmationRequired: Type.Literal(true),
  challengeId: Type.String(),
  sentTo: Type.String({ description: 'The phone the code went to, masked' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

/** A sign-in at a provincial node waiting for the texted code (the citizen app reads the same type). */
export type ConfirmationAnswer = Static<typeof ConfirmationResponse>;

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
  /** Guessing a name for a document number is limited, per document and per client (src/limits). */
  readonly limits: RateLimits;
}

/** Failed sign-ins count against the document and the client; then growing delays (docs/operations.md#rate-limits). */
export function signInKeys(doc: { documentType: string; documentNumber: string }, client: string) {
  const document = `sign-in:doc:${doc.documentType}:${doc.documentNumber.toUpperCase()}`;
  return {
    keys: [
      [document, FAILURES.perDocument.free],
      [`sign-in:client:${client}`, FAILURES.perClient.free],
    ] as const,
    clearOnSuccess: [document],
  };
}

export const isRealNameFailure = (e: unknown) =>
  e instanceof AppError && e.code === 'YMT_ERR_REAL_NAME_FAILED';

export function authRoutes({ auth, clock, cookie, limits }: AuthRoutesDeps): FastifyPluginAsyncTypebox {
  /** The session as an answer, with its HttpOnly cookie. */
  const open = (reply: FastifyReply, session: Session) => {
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
  };
  return async (app) => {
    app.post(
      '/api/v1/auth/real-name',
      {
        schema: {
          operationId: 'realNameAuthenticate',
          summary:
            '实名认证 (unified identity authentication): sign in with a document and a name; at a provincial node, 202 and a code texted to the holder (then /confirm)',
          tags: ['identity'],
          body: RealNameBody,
          response: { 200: SessionResponse, 202: ConfirmationResponse, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { keys, clearOnSuccess } = signInKeys(request.body, request.ip);
        const outcome = await limits.guarded(
          keys,
          clearOnSuccess,
          () => auth.signIn(request.body, clock()),
          isRealNameFailure,
        );
        if ('confirm' in outcome)
          return reply.code(202).send({
            confirmationRequired: true as const,
            challengeId: outcome.confirm.challengeId,
            sentTo: outcome.confirm.sentTo,
            expiresAt: new Date(outcome.confirm.expiresAt).toISOString(),
          });
        return reply.send(open(reply, outcome));
      },
    );

    if (auth.confirms)
      app.post(
        '/api/v1/auth/real-name/confirm',
        {
          schema: {
            operationId: 'realNameConfirm',
            summary:
              'A provincial node: the code the hub texted the holder completes the sign-in (docs/federation.md)',
            tags: ['identity'],
            body: Type.Object(
              {
                challengeId: Type.String({ format: 'uuid' }),
                code: Type.String({
                  pattern: '^[0-9]{6}$',
                  description: 'The six digits of the text message',
                }),
              },
              { additionalProperties: false },
            ),
            response: { 200: SessionResponse, ...ERROR_RESPONSES },
          },
        },
        async (request, reply) =>
          reply.send(open(reply, await auth.confirm(request.body.challengeId, request.body.code, clock()))),
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
        refuseForeignOrigin(request);
        const token = bearerToken(request);
        if (token) await auth.signOut(token);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );
  };
}
