/** The console's reports section: non-recognition reports, every province's (operator) or its own, answered. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { ERROR_RESPONSES } from '../../http/schemas.ts';
import { scrubText } from '../../privacy/record-masking.ts';
import type { ProvinceRegistry } from '../../provinces/province-registry.ts';
import { regionName } from '../../regions/regions.ts';
import type { NonRecognition } from '../../tickets/non-recognition.ts';
import type { Ticket } from '../../tickets/tickets.repository.ts';
import { reportFilter, reportStatus, type TicketsService } from '../../tickets/tickets.service.ts';
import type { Clock } from '../../time/clock.ts';
import { COMMON, Iso, iso, section } from '../console.schemas.ts';
import { MultilineText } from '../../http/text-schemas.ts';

const ReportSchema = Type.Object({
  ticketId: Type.String(),
  kind: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('answered')]),
  province: Type.String(),
  provinceName: Type.String(),
  region: Type.String(),
  regionName: Type.Union([Type.String(), Type.Null()]),
  at: Type.String({ description: 'When the checkpoint refused the code (as the holder reported it)' }),
  checkpointId: Type.String(),
  issuer: Type.String(),
  description: Type.Optional(Type.String({ description: 'What the holder wrote, masked' })),
  answer: Type.Union([Type.String(), Type.Null()]),
  createdAt: Iso,
  updatedAt: Iso,
});

/** A non-recognition report as the console lists it. */
export type ReportAnswer = Static<typeof ReportSchema>;

export function reportsSection(deps: {
  tickets: TicketsService;
  registry: ProvinceRegistry;
  clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { tickets, registry, clock } = deps;
  const view = (t: Ticket<NonRecognition>): ReportAnswer => ({
    ticketId: t.ticketId,
    kind: t.kind,
    status: reportStatus(t.state),
    province: t.province,
    provinceName: registry.get(t.province)?.name ?? t.province,
    region: t.region,
    regionName: regionName(t.region) ?? null,
    at: t.details.at,
    checkpointId: t.details.checkpointId,
    issuer: t.details.issuer,
    ...(t.details.description === undefined ? {} : { description: scrubText(t.details.description, false) }),
    answer: t.answer,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  });

  return async (app) => {
    app.get(
      '/api/v1/console/reports',
      {
        config: section('reports'),
        schema: {
          ...COMMON,
          operationId: 'consoleListReports',
          summary: 'Non-recognition reports: every province’s (operator) or the province’s own',
          querystring: Type.Object(
            { status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('answered')])) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ reports: Type.Array(ReportSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        reports: (
          await tickets.queue<NonRecognition>(request.consoleUser, reportFilter(request.query.status))
        ).map(view),
      }),
    );

    app.post(
      '/api/v1/console/reports/:ticketId/answer',
      {
        config: section('reports'),
        schema: {
          ...COMMON,
          operationId: 'consoleAnswerReport',
          summary: 'Answer a non-recognition report (a province only its own; another’s is not found)',
          params: Type.Object({ ticketId: Type.String({ format: 'uuid' }) }),
          body: Type.Object(
            { answer: MultilineText({ minLength: 1, maxLength: 2000 }) },
            { additionalProperties: false },
          ),
          response: { 200: ReportSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        view(
          await tickets.answer<NonRecognition>(
            request.consoleUser,
            request.params.ticketId,
            request.body.answer,
            clock(),
          ),
        ),
    );
  };
}
