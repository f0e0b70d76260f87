import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { useMount, type Mount } from '../http/authenticate.ts';
import {
  CaseStatusSchema,
  EntrySchema,
  ColourSchema,
  ERROR_RESPONSES,
  EvidenceSchema,
  ReasonSchema,
} from '../http/schemas.ts';
import type { StatusService } from '../status/status.service.ts';
import type { Clock } from '../time/clock.ts';
import type { HealthInfoService } from './health-info.service.ts';

const City = { cityCode: Type.String(), name: Type.String(), nameEn: Type.String() };
const Level = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]);
const Trip = Type.Object({
  kind: Type.Union([Type.Literal('train'), Type.Literal('flight'), Type.Literal('inbound_flight')]),
  tripNo: Type.String(),
  date: Type.String({ description: 'YYYY-MM-DD' }),
  evidence: EvidenceSchema,
});

export function healthInfoRoutes(deps: {
  readonly status: StatusService;
  readonly healthInfo: HealthInfoService;
  /** The holder's own (`/api/v1/me`) or a family member's (src/family). */
  readonly mount: Mount;
  readonly clock: Clock;
  /** A provincial node: the answer says how old the national status it used was. */
  readonly nationalAtNode: boolean;
}): FastifyPluginAsyncTypebox {
  const { status, healthInfo, mount, clock } = deps;
  return async (app) => {
    const { path, schema: common, operation } = useMount(app, mount, ['health information']);
    const config = { purpose: 'health.read' as const };

    app.get(
      path('/health'),
      {
        config,
        schema: {
          ...common,
          operationId: operation('queryRiskAlert'),
          summary: '综合风险提示 (Q2.1): the colour, every reason with its evidence record, and the time',
          response: {
            200: Type.Object({
              colour: ColourSchema,
              reasons: Type.Array(ReasonSchema),
              asOf: Type.String({ format: 'date-time' }),
              ruleSet: Type.String(),
              national: Type.Optional(
                Type.Object(
                  {
                    known: Type.Boolean(),
                    asOf: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
                  },
                  {
                    description:
                      "At a provincial node: whether the hub's national status was held when this was computed, and how old it was",
                  },
                ),
              ),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const s = await status.currentForHolder(request.subject.personId, clock(), request.subject.snapshot);
        return {
          colour: s.colour,
          reasons: [...s.reasons],
          asOf: s.asOf.toISOString(),
          ruleSet: s.ruleSet,
          ...(deps.nationalAtNode
            ? {
                national: {
                  known: s.external.known,
                  asOf: s.external.asOf === null ? null : new Date(s.external.asOf).toISOString(),
                },
              }
            : {}),
        };
      },
    );

    app.get(
      path('/health/case-status'),
      {
        config,
        schema: {
          ...common,
          operationId: operation('queryCaseStatus'),
          summary:
            '确诊或疑似 (Q2.2): the case status the findings behind the colour carry — a health commission event or an operator’s status entry',
          response: {
            200: CaseStatusSchema,
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => healthInfo.caseStatus(request.subject.personId, clock()),
    );

    app.get(
      path('/health/co-travel'),
      {
        config,
        schema: {
          ...common,
          operationId: operation('queryCoTravel'),
          summary:
            '同行密接 (Q2.3): trains and flights shared with a case in the window — never who the case was',
          response: { 200: Type.Array(Trip), ...ERROR_RESPONSES },
        },
      },
      (request) => healthInfo.coTravel(request.subject.personId, clock(), false),
    );

    app.get(
      path('/health/inbound'),
      {
        config,
        schema: {
          ...common,
          operationId: operation('queryInboundCoPassenger'),
          summary: '入境同乘 (Q2.5): inbound flights shared with a case in the window',
          response: { 200: Type.Array(Trip), ...ERROR_RESPONSES },
        },
      },
      (request) => healthInfo.coTravel(request.subject.personId, clock(), true),
    );

    app.get(
      path('/health/itinerary'),
      {
        config,
        schema: {
          ...common,
          operationId: operation('queryItinerary'),
          summary: '14天行程 (Q2.4): declared cities beside the telecom itinerary, mismatches marked',
          response: {
            200: Type.Object({
              windowDays: Type.Integer(),
              stayHours: Type.Integer(),
              declared: Type.Array(Type.Object(City)),
              telecom: Type.Array(
                Type.Object({
                  ...City,
                  firstSeen: Type.String({ format: 'date-time' }),
                  lastSeen: Type.String({ format: 'date-time' }),
                  counted: Type.Boolean({ description: 'stayed at least stayHours' }),
                }),
              ),
              mismatches: Type.Object({
                declaredNotSeen: Type.Array(Type.Object(City)),
                seenNotDeclared: Type.Array(Type.Object(City)),
              }),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => healthInfo.itinerary(request.subject.personId, clock()),
    );

    app.get(
      path('/health/areas'),
      {
        config,
        schema: {
          ...common,
          operationId: operation('queryVisitedAreaRisk'),
          summary:
            '途经地风险 (Q2.7): the risk level now of every city visited in the window and of the latest check-in',
          response: {
            200: Type.Object({
              cities: Type.Array(Type.Object({ ...City, level: Level })),
              latestCheckIn: Type.Union([
                Type.Object({ ...City, level: Level, at: Type.String({ format: 'date-time' }) }),
                Type.Null(),
              ]),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => healthInfo.areaRisk(request.subject.personId, clock()),
    );

    app.get(
      path('/health/entry'),
      {
        config,
        schema: {
          ...common,
          operationId: operation('queryEntryCheck'),
          summary:
            '入境信息核验 (Q10): the declared entry beside the arrivals the immigration feed recorded, and whether they agree',
          response: {
            200: Type.Object({
              declared: Type.Union([EntrySchema, Type.Null()]),
              recorded: Type.Array(
                Type.Object({
                  tripNo: Type.String(),
                  date: Type.String(),
                  port: Type.Union([Type.String(), Type.Null()]),
                  evidence: EvidenceSchema,
                }),
              ),
              check: Type.Union([
                Type.Object({
                  result: Type.Union([
                    Type.Literal('matched'),
                    Type.Literal('mismatch'),
                    Type.Literal('not_recorded'),
                  ]),
                  fields: Type.Array(Type.Union([Type.Literal('tripNo'), Type.Literal('date')])),
                }),
                Type.Null(),
              ]),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => healthInfo.entry(request.subject.personId, clock()),
    );
  };
}
