/** The console's provinces section: the 32 units with enrolment, node, keys and last push; key revocation. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { ERROR_RESPONSES } from '../../http/schemas.ts';
import type { IssuerKeysService } from '../../province-api/issuer-keys.service.ts';
import type { ProvincesService } from '../../province-api/provinces.service.ts';
import type { Clock } from '../../time/clock.ts';
import { COMMON, Iso, iso, IsoOrNull, isoOrNull, ProvinceCode, section } from '../console.schemas.ts';

const ProvinceSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  enrolled: Type.Boolean(),
  nodeUrl: Type.Union([Type.String(), Type.Null()]),
  keys: Type.Array(
    Type.Object({
      kid: Type.String(),
      notBefore: Iso,
      notAfter: Iso,
      revoked: Type.Boolean(),
      revokedReason: Type.Optional(Type.String()),
    }),
  ),
  lastStatusPush: IsoOrNull,
});

/** A provincial unit as the console lists it. */
export type ProvinceAnswer = Static<typeof ProvinceSchema>;

export function provincesSection(deps: {
  provinces: ProvincesService;
  issuerKeys: IssuerKeysService;
  clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { provinces, issuerKeys, clock } = deps;
  return async (app) => {
    app.get(
      '/api/v1/console/provinces',
      {
        config: section('provinces'),
        schema: {
          ...COMMON,
          operationId: 'consoleListProvinces',
          summary: 'Provincial units with their enrolment, node, keys and last status push',
          response: { 200: Type.Object({ provinces: Type.Array(ProvinceSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        provinces: (await provinces.overview(request.consoleUser)).map((p) => ({
          code: p.code,
          name: p.name,
          nameEn: p.nameEn,
          enrolled: p.enrolled,
          nodeUrl: p.nodeUrl,
          keys: p.keys.map((k) => ({
            kid: k.kid,
            notBefore: iso(k.notBefore),
            notAfter: iso(k.notAfter),
            revoked: k.revokedAt !== null,
            ...(k.revokedReason === null ? {} : { revokedReason: k.revokedReason }),
          })),
          lastStatusPush: isoOrNull(p.lastStatusPush),
        })),
      }),
    );

    app.post(
      '/api/v1/console/provinces/:code/keys/:kid/revoke',
      {
        config: section('provinces', true),
        schema: {
          ...COMMON,
          operationId: 'consoleRevokeProvinceKey',
          summary: "Emergency revocation of a province's signing key (as `yimatong provinces revoke-key`)",
          params: Type.Object({ code: ProvinceCode, kid: Type.String({ pattern: '^[A-Za-z0-9_-]{11}$' }) }),
          body: Type.Object(
            { reason: Type.String({ minLength: 1, maxLength: 500 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ kid: Type.String(), province: Type.String(), changed: Type.Boolean() }),
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) =>
        issuerKeys.revoke(
          request.consoleUser,
          { kid: request.params.kid, reason: request.body.reason, province: request.params.code },
          clock(),
        ),
    );
  };
}
