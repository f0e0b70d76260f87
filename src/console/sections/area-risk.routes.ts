/** The console's area risk section: levels in force or to come, set for a period, ended early or withdrawn. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { AreaRiskService } from '../../area-risk/area-risk.service.ts';
import type { RISK_LEVELS } from '../../feeds/feed-records.domain.ts';
import { ERROR_RESPONSES } from '../../http/schemas.ts';
import { regionName } from '../../regions/regions.ts';
import type { Clock } from '../../time/clock.ts';
import { BatchId, COMMON, Iso, iso, Level, section } from '../console.schemas.ts';

const AreaRiskSchema = Type.Object({
  areaCode: Type.String(),
  areaName: Type.String(),
  level: Level,
  validFrom: Iso,
  validTo: Iso,
  authority: Type.String(),
  batchId: Type.String(),
  line: Type.Integer({ description: "The entry's line in its batch (with batchId, what ends it)" }),
  inForce: Type.Boolean(),
  ended: Type.Union([Type.Object({ by: Type.String(), reason: Type.String() }), Type.Null()], {
    description: 'An operator ended it early: validTo is that end',
  }),
});

/** An area risk entry as the console lists it. */
export type AreaRiskAnswer = Static<typeof AreaRiskSchema>;

const AreaRiskSetSchema = Type.Object({ batchId: Type.String(), accepted: Type.Integer() });
/** What setting an area's level answers: the batch the entry went in as. */
export type AreaRiskSetAnswer = Static<typeof AreaRiskSetSchema>;

export function areaRiskSection(deps: {
  areaRisk: AreaRiskService;
  clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { areaRisk, clock } = deps;
  return async (app) => {
    app.get(
      '/api/v1/console/area-risk',
      {
        config: section('area-risk'),
        schema: {
          ...COMMON,
          operationId: 'consoleListAreaRisk',
          summary: 'Area risk levels in force now or still to come',
          response: { 200: Type.Object({ areas: Type.Array(AreaRiskSchema) }), ...ERROR_RESPONSES },
        },
      },
      async () => {
        const now = clock();
        return {
          areas: (await areaRisk.list(now)).map((a) => ({
            areaCode: a.areaCode,
            areaName: regionName(a.areaCode) ?? a.areaCode,
            level: a.level as (typeof RISK_LEVELS)[number],
            validFrom: iso(a.validFrom),
            validTo: iso(a.validTo),
            authority: a.authority,
            batchId: a.batchId,
            line: a.line,
            inForce: a.validFrom <= now.getTime(),
            ended: a.ended,
          })),
        };
      },
    );

    app.post(
      '/api/v1/console/area-risk',
      {
        config: section('area-risk'),
        schema: {
          ...COMMON,
          operationId: 'consoleSetAreaRisk',
          summary:
            "Set an area's risk level for a period (one area-risk batch through the feed ingestion: statuses follow)",
          body: Type.Object(
            {
              areaCode: Type.String({ minLength: 1, maxLength: 12, description: 'GB/T 2260 code' }),
              level: Level,
              validFrom: Type.String({ maxLength: 40, description: 'ISO 8601 with a zone' }),
              validTo: Type.String({ maxLength: 40, description: 'ISO 8601 with a zone, after validFrom' }),
              authority: Type.Optional(
                Type.String({ minLength: 1, maxLength: 100, description: "Default: the account's name" }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 201: AreaRiskSetSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await areaRisk.set(request.body, request.consoleUser, clock())),
    );

    app.post(
      '/api/v1/console/area-risk/:batchId/:line/end',
      {
        config: section('area-risk'),
        schema: {
          ...COMMON,
          operationId: 'consoleEndAreaRisk',
          summary:
            'End an area risk entry early, or withdraw it (end it at its start); the entry stays as published, statuses follow',
          params: Type.Object({ batchId: BatchId, line: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) }),
          body: Type.Object(
            {
              endsAt: Type.Optional(
                Type.String({
                  maxLength: 40,
                  description: 'ISO 8601 with a zone; default now; at or before the start withdraws',
                }),
              ),
              reason: Type.String({ minLength: 1, maxLength: 200 }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              batchId: Type.String(),
              line: Type.Integer(),
              endsAt: Iso,
              withdrawn: Type.Boolean(),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const ended = await areaRisk.end(
          { ...request.body, batchId: request.params.batchId, line: Number(request.params.line) },
          request.consoleUser,
          clock(),
        );
        return { ...ended, endsAt: iso(ended.endsAt) };
      },
    );
  };
}
