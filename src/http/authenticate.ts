/** Finds the holder behind a request: `Authorization: Bearer <token>` or the HttpOnly session cookie. */
import type { FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import type { Purpose } from '../access/purposes.ts';
import type { Holder } from '../auth/auth.service.ts';
import type { Snapshot } from '../status/status-snapshots.repository.ts';
import { AppError } from '../errors/app-error.ts';
import { BEARER } from './schemas.ts';
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
    /**
     * Whose data the request reads or changes: the holder themself, or a family member they act for
     * (src/family) — with that person's stored status snapshot.
     */
    subject: Subject;
  }
  interface FastifyContextConfig {
    /** Why a route looks at the subject's data: what a proxy's request is recorded as (src/access/purposes.ts). */
    purpose?: Purpose;
  }
}

export interface Subject {
  readonly personId: string;
  readonly snapshot: Snapshot | undefined;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/i.exec(header);
    return m?.[1];
  }
  return request.cookies[SESSION_COOKIE];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A state change carried by the session cookie from another site's page (cross-site request forgery): the browser
 * says where the page came from (`Origin`), and it is not this host. A bearer token is never sent by a browser on
 * its own, so only cookie-authenticated requests are checked; a client that sends no `Origin` is not a browser.
 */
export function refuseForeignOrigin(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method) || request.headers.authorization !== undefined) return;
  if (request.cookies[SESSION_COOKIE] === undefined) return;
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host === undefined || host !== request.host) throw new AppError('YMT_ERR_FOREIGN_ORIGIN');
}

/** What checks a session: the auth service (src/auth/auth.service.ts). */
export interface SessionCheck {
  authenticate(token: string | undefined, now: Date): Promise<Holder>;
}

/** The preHandler of the holder's routes: the person behind the session, or 401. */
export type HolderHook = (request: FastifyRequest) => Promise<void>;

export function requireHolder(sessions: SessionCheck, clock: Clock): HolderHook {
  return async (request: FastifyRequest): Promise<void> => {
    refuseForeignOrigin(request);
    const holder = await sessions.authenticate(bearerToken(request), clock());
    request.personId = holder.personId;
    request.holderSnapshot = holder.snapshot;
    request.subject = holder;
  };
}

/**
 * Where the holder's own routes are mounted — declaration, code, health information — and whom they serve: the
 * holder at `/api/v1/me`, or at `/api/v1/me/dependants/:dependantId` a family member they act for (src/family).
 * Each route is written once and mounted at both.
 */
export interface Mount {
  /** The path the routes' own paths follow. */
  readonly prefix: string;
  /** The preHandlers that set request.personId and request.subject, in order. */
  readonly hooks: readonly HolderHook[];
  /** The OpenAPI operation id of a route mounted here, from its own. */
  readonly operation: (id: string) => string;
  readonly tags?: readonly string[];
  /** The path parameters of `prefix`. */
  readonly params?: TSchema;
}

/** The holder's own routes. */
export function ownMount(holder: HolderHook): Mount {
  return { prefix: '/api/v1/me', hooks: [holder], operation: (id) => id };
}

/** Installs a mount's hooks on a plugin's scope; the schema parts every route mounted there shares. */
export function useMount(
  app: { addHook(name: 'preHandler', hook: HolderHook): unknown },
  mount: Mount,
  tags: readonly string[],
) {
  for (const hook of mount.hooks) app.addHook('preHandler', hook);
  return {
    path: (own: string) => `${mount.prefix}${own}`,
    schema: {
      tags: [...(mount.tags ?? tags)],
      security: BEARER,
      ...(mount.params ? { params: mount.params } : {}),
    },
    operation: mount.operation,
  };
}
