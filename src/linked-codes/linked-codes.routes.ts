/** The holder's side of the federation on the hub: linked provincial codes and consent tokens. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HolderHook } from '../http/authenticate.ts';
import {
  BEARER,
  ColourSchema,
  ERROR_RESPONSES,
  HolderSummarySchema,
  ShortReasonSchema,
} from '../http/schemas.ts';
import type { Clock } from '../time/clock.ts';
import type { LinkedCodesService } from './linked-codes.service.ts';

/** How long a consent token lasts unless the holder asks for less. */
const CONSENT_DEFAULT_MINUTES = 30;

export function linkedCodesRoutes(deps: {
  readonly linkedCodes: LinkedCodesService;
  readonly holder: HolderHook;
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { linkedCodes: service, holder, clock } = deps;
  return async (app) => {
    app.addHook('preHandler', holder);
    const common = { tags: ['linked codes'], security: BEARER };

    app.post(
      '/api/v1/me/linked-codes',
      {
        schema: {
          ...common,
          operationId: 'linkProvincialCode',
          summary: "Link a province's code (scanned or typed); its node confirms it is the holder's",
          body: Type.Object(
            { code: Type.String({ minLength: 1, maxLength: 4096 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ province: Type.String(), linkedAt: Type.String({ format: 'date-time' }) }),
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => service.link(request.personId, request.body.code, clock()),
    );

    app.get(
      '/api/v1/me/linked-codes',
      {
        schema: {
          ...common,
          operationId: 'queryLinkedCodes',
          summary: "The national status and each linked province's current status and alerts, in one place",
          response: {
            200: Type.Object({
              national: HolderSummarySchema,
              linked: Type.Array(
                Type.Object({
                  province: Type.String(),
                  name: Type.String(),
                  nameEn: Type.String(),
                  linkedAt: Type.String({ format: 'date-time' }),
                  source: Type.Union([
                    Type.Literal('live'),
                    Type.Literal('pushed'),
                    Type.Literal('unavailable'),
                  ]),
                  colour: Type.Optional(ColourSchema),
                  reasons: Type.Optional(Type.Array(ShortReasonSchema)),
                  asOf: Type.Optional(Type.String({ format: 'date-time' })),
                }),
              ),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => service.gather(request.personId, clock()),
    );

    app.delete(
      '/api/v1/me/linked-codes/:province',
      {
        schema: {
          ...common,
          operationId: 'unlinkProvincialCode',
          summary: "Remove a linked province's code",
          params: Type.Object({ province: Type.String({ pattern: '^[0-9]{6}$' }) }),
          response: { 204: Type.Null(), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        await service.unlink(request.personId, request.params.province);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/me/consents',
      {
        schema: {
          ...common,
          operationId: 'grantConsent',
          summary:
            "A consent token for one province's checkpoints: with it, that province's node may read the holder's national status until it expires",
          body: Type.Object(
            {
              province: Type.String({ pattern: '^[0-9]{6}$' }),
              minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              token: Type.String(),
              province: Type.String(),
              expiresAt: Type.String({ format: 'date-time' }),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) =>
        service.grantConsent(
          request.personId,
          request.body.province,
          request.body.minutes ?? CONSENT_DEFAULT_MINUTES,
          clock(),
        ),
    );
  };
}
