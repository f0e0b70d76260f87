/** Authentication of signed requests between the hub and provincial nodes (request-signature.ts). */
import type { KeyObject } from 'node:crypto';
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

/** Checks a signed request against the caller's key; a failure is logged with its reason and is a 401. */
function checkOrRefuse(ctx: AppContext, request: FastifyRequest, key: KeyObject, nowMs: number): void {
  const check = checkSignedRequest(
    request.headers,
    { method: request.method, path: request.url, body: request.body },
    key,
    nowMs,
    ctx.nonces,
  );
  if (!check.ok) {
    request.log.warn(
      { caller: request.headers[HEADER_CALLER], problem: check.problem },
      'signed request refused',
    );
    throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
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
    checkOrRefuse(ctx, request, key, ctx.clock().getTime());
    request.province = caller;
  };
}

/** Node side: the request must be signed by the hub's trust anchor (pinned by the node). */
export function requireHub(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const now = ctx.clock();
    if (request.headers[HEADER_CALLER] !== ctx.config.hubIssuerId)
      throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
    checkOrRefuse(ctx, request, publicKeyOfJwk(ctx.trust.anchor(now)), now.getTime());
  };
}
