/** The console's trust list section: the hub's current list, summarised. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { ERROR_RESPONSES } from '../../http/schemas.ts';
import type { KeyringCache } from '../../signing/trust-list.service.ts';
import type { Clock } from '../../time/clock.ts';
import { COMMON, Iso, section } from '../console.schemas.ts';

const TrustListSummary = Type.Object({
  version: Type.Integer(),
  generation: Type.Integer({ description: "The hub's own key generation" }),
  revision: Type.Integer({ description: "The federation's revision" }),
  issuedAt: Iso,
  expiresAt: Iso,
  issuers: Type.Array(Type.Object({ iss: Type.String(), name: Type.String(), nameEn: Type.String() })),
  keys: Type.Array(
    Type.Object({
      kid: Type.String(),
      iss: Type.String(),
      notBefore: Iso,
      notAfter: Type.Optional(Iso),
    }),
  ),
  revokedKeys: Type.Array(Type.Object({ kid: Type.String(), iss: Type.String(), revokedAt: Iso })),
  anchorKid: Type.String(),
});

/** The trust list as the console summarises it. */
export type TrustListAnswer = Static<typeof TrustListSummary>;

export function trustListSection(deps: {
  /** The hub's keyring and signed list. */
  keys: KeyringCache;
  /** The federation's revision (what the list's version adds to the hub's key generation). */
  revision: () => Promise<number>;
  clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { keys, clock } = deps;
  return async (app) => {
    app.get(
      '/api/v1/console/trust-list',
      {
        config: section('trust-list'),
        schema: {
          ...COMMON,
          operationId: 'consoleTrustList',
          summary: "The hub's current trust list, summarised",
          response: { 200: TrustListSummary, ...ERROR_RESPONSES },
        },
      },
      async () => {
        const now = clock();
        const { doc } = await keys.trustList(now);
        const ring = keys.current(now.getTime());
        return {
          version: doc.version,
          generation: ring.generation,
          revision: await deps.revision(),
          issuedAt: doc.issuedAt,
          expiresAt: doc.expiresAt,
          issuers: doc.issuers,
          keys: doc.keys.map((k) => ({
            kid: k.kid,
            iss: k.iss,
            notBefore: k.notBefore,
            ...(k.notAfter === undefined ? {} : { notAfter: k.notAfter }),
          })),
          revokedKeys: doc.revoked ?? [],
          anchorKid: ring.anchor.kid,
        };
      },
    );
  };
}
