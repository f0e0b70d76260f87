/** Authentication of signed requests between the hub and provincial nodes (request-signature.ts). */
import type { KeyObject } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { TrustAnchor } from '../codec/trust-list.ts';
import { AppError } from '../errors/app-error.ts';
import type { Clock } from '../time/clock.ts';
import type { Sm2PublicKey } from '../codec/sm2.ts';
import { verifyingKeyOfJwk } from './key-certificate.ts';
import { checkSignedRequest, HEADER_CALLER, type NonceMemory } from './request-signature.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The province whose node signed the request (hub routes under /api/v1/federation). */
    province: string;
  }
}

/** The preHandler of routes that only a peer may call. */
export type PeerHook = (request: FastifyRequest) => Promise<void>;

/** Checks a signed request against the caller's key; a failure is logged with its reason and is a 401. */
async function checkOrRefuse(
  request: FastifyRequest,
  key: KeyObject | Sm2PublicKey,
  nowMs: number,
  nonces: NonceMemory,
): Promise<void> {
  const check = await checkSignedRequest(
    request.headers,
    { method: request.method, path: request.url, body: request.body },
    key,
    nowMs,
    nonces,
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
export function requireProvince(deps: {
  readonly accessKey: (province: string) => Promise<KeyObject | undefined>;
  readonly nonces: NonceMemory;
  readonly clock: Clock;
}): PeerHook {
  return async (request) => {
    const caller = request.headers[HEADER_CALLER];
    if (typeof caller !== 'string' || !/^\d{6}$/.test(caller))
      throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
    const key = await deps.accessKey(caller);
    if (!key) throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
    await checkOrRefuse(request, key, deps.clock().getTime(), deps.nonces);
    request.province = caller;
  };
}

/** Node side: the request must be signed by the hub's trust anchor (pinned by the node). */
export function requireHub(deps: {
  readonly hubIssuerId: string;
  readonly anchor: (now: Date) => TrustAnchor;
  readonly nonces: NonceMemory;
  readonly clock: Clock;
}): PeerHook {
  return async (request) => {
    const now = deps.clock();
    if (request.headers[HEADER_CALLER] !== deps.hubIssuerId)
      throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
    await checkOrRefuse(request, verifyingKeyOfJwk(deps.anchor(now)), now.getTime(), deps.nonces);
  };
}
