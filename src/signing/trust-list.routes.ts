import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ERROR_RESPONSES } from '../http/schemas.ts';
import type { Clock } from '../time/clock.ts';
import type { TrustSource } from './trust-list.service.ts';

const Jwk = {
  kty: Type.Literal('EC'),
  crv: Type.Union([Type.Literal('P-256'), Type.Literal('SM2')], {
    description: 'P-256 (alg ES256) or SM2 (alg SM2, national cryptography)',
  }),
  x: Type.String(),
  y: Type.String(),
  kid: Type.String({ description: 'base64url of the 8-byte COSE kid' }),
};

const TrustListResponse = Type.Object({
  format: Type.Literal('yimatong-trust-list/1'),
  version: Type.Integer(),
  issuedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  issuers: Type.Array(Type.Object({ iss: Type.String(), name: Type.String(), nameEn: Type.String() })),
  keys: Type.Array(
    Type.Object({
      ...Jwk,
      alg: Type.Union([Type.Literal('ES256'), Type.Literal('SM2')]),
      use: Type.Literal('sig'),
      iss: Type.String(),
      notBefore: Type.String({ format: 'date-time' }),
      notAfter: Type.Optional(Type.String({ format: 'date-time' })),
    }),
  ),
  revoked: Type.Optional(
    Type.Array(
      Type.Object({
        kid: Type.String(),
        iss: Type.String(),
        revokedAt: Type.String({ format: 'date-time' }),
      }),
    ),
  ),
  acceptanceRules: Type.Optional(
    Type.Array(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description: 'An acceptance rule set (docs/rules.md#acceptance-rules)',
        },
      ),
    ),
  ),
  signature: Type.Object({
    alg: Type.Union([Type.Literal('ES256'), Type.Literal('SM2')]),
    kid: Type.String(),
    value: Type.String(),
  }),
});

export function trustListRoutes({
  trust,
  clock,
}: {
  trust: TrustSource;
  clock: Clock;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/.well-known/yimatong/trust-list',
      {
        schema: {
          operationId: 'getTrustList',
          summary: 'The signed trust list: every issuer key (JWK) with its validity window',
          tags: ['trust'],
          response: {
            200: TrustListResponse,
            304: Type.Null({ description: 'Not modified (If-None-Match)' }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const { doc } = await trust.trustList(clock());
        // The document changes only when it is re-signed: its signature names it. A checkpoint that sends the
        // ETag back gets a 304 and keeps its copy.
        const etag = `"${doc.version}-${doc.signature.value.slice(0, 22)}"`;
        reply.header('cache-control', 'public, max-age=300').header('etag', etag);
        const seen = request.headers['if-none-match'];
        if (seen !== undefined && seen.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
          return reply.code(304).send(null);
        }
        return reply.send(doc);
      },
    );

    app.get(
      '/.well-known/yimatong/trust-anchor',
      {
        schema: {
          operationId: 'getTrustAnchor',
          summary:
            'The public key that signs the trust list. Pin it out of band; this copy is for provisioning.',
          tags: ['trust'],
          response: { 200: Type.Object(Jwk), ...ERROR_RESPONSES },
        },
      },
      () => trust.anchor(clock()),
    );
  };
}
