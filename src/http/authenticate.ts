/** Finds the holder behind a request: `Authorization: Bearer <token>` or the HttpOnly session cookie. */
import type { FastifyRequest } from 'fastify';
import type { Holder } from '../auth/auth.service.ts';
import type { Snapshot } from '../status/status-snapshots.repository.ts';
import type { Clock } from '../time/clock.ts';

export const SESSION_COOKIE = 'ymt_session';

declare module 'fastify' {
  interface FastifyRequest {
    personId: string;
    /**
     * The holder's stored status snapshot, read with the session on the primary: what their code and status
     * answers start from (StatusService.currentForHolder).
     */
    holderSnapshot: Snapshot | undefined;
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

/** What checks a session: the auth service (src/auth/auth.service.ts). */
export interface SessionCheck {
  authenticate(token: string | undefined, now: Date): Promise<Holder>;
}

/** The preHandler of the holder's routes: the person behind the session, or 401. */
export type HolderHook = (request: FastifyRequest) => Promise<void>;

export function requireHolder(sessions: SessionCheck, clock: Clock): HolderHook {
  return async (request: FastifyRequest): Promise<void> => {
    const holder = await sessions.authenticate(bearerToken(request), clock());
    request.personId = holder.personId;
    request.holderSnapshot = holder.snapshot;
  };
}
