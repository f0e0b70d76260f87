/** Finds the holder behind a request: `Authorization: Bearer <token>` or the HttpOnly session cookie. */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.ts';

export const SESSION_COOKIE = 'ymt_session';

declare module 'fastify' {
  interface FastifyRequest {
    personId: string;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/i.exec(header);
    return m?.[1];
  }
  return request.cookies[SESSION_COOKIE];
}

export function requireHolder(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    request.personId = await ctx.auth.authenticate(bearerToken(request), ctx.clock());
  };
}
