/** Authentication of signed requests between the hub and provincial nodes (request-signature.ts). */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../errors/app-error.ts';
import { publicKeyOfJwk } from './key-certificate.ts';
import { checkSignedRequest, HEADER_CALLER } from './request-signature.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The province whose node signed the request (hub routes under /api/v1/federation). */
    province: string;
  }
}

/** Hub side: the request must be signed by an enrolled province's access key. */
export function requireProvince(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const caller = request.headers[HEADER_CALLER];
    if (typeof caller !== 'string' || !/^\d{6}$/.test(caller))
      throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
    const key = await ctx.federation.accessKey(caller);
    if (!key) throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
    const check = checkSignedRequest(
      request.headers,
      { method: request.method, path: request.url, body: request.body },
      key,
      ctx.clock().getTime(),
      ctx.nonces,
    );
    if (!check.ok) {
      request.log.warn({ province: caller, problem: check.problem }, 'province request refused');
      throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
    }
    request.province = caller;
  };
}

/** Node side: the request must be signed by the hub's trust anchor (pinned by the node). */
export function requireHub(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const now = ctx.clock();
    if (request.headers[HEADER_CALLER] !== ctx.config.hubIssuerId)
      throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
    const check = checkSignedRequest(
      request.headers,
      { method: request.method, path: request.url, body: request.body },
      publicKeyOfJwk(ctx.trust.anchor(now)),
      now.getTime(),
      ctx.nonces,
    );
    if (!check.ok) {
      request.log.warn({ problem: check.problem }, 'hub request refused');
      throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
    }
  };
}
