/**
 * The holder's non-recognition reports (Q7, non-recognition.ts): report a checkpoint that refused a valid code,
 * and follow the reports and their answers (the authority answers through the console or the province API).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HolderHook } from '../http/authenticate.ts';
import { BEARER, ERROR_RESPONSES } from '../http/schemas.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import type { Clock } from '../time/clock.ts';
import { HOTLINE, HOTLINE_TEXT, HOTLINE_TEXT_EN, type NonRecognition } from './non-recognition.ts';
import type { Ticket } from './tickets.repository.ts';
import { reportStatus, type TicketsService } from './tickets.service.ts';
import { MultilineText } from '../http/text-schemas.ts';

const Report = Type.Object({
  ticketId: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('answered')]),
  region: Type.String(),
  province: Type.String(),
  provinceName: Type.String(),
  at: Type.String({ format: 'date-time' }),
  checkpointId: Type.String(),
  issuer: Type.String(),
  description: Type.Optional(Type.String()),
  answer: Type.Union([Type.String(), Type.Null()]),
  hotline: Type.Literal(HOTLINE),
  hotlineText: Type.String(),
  hotlineTextEn: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export function nonRecognitionRoutes(deps: {
  readonly tickets: TicketsService;
  readonly registry: ProvinceRegistry;
  readonly holder: HolderHook;
  /** Filing tickets is limited per holder (src/limits). */
  readonly limits: RateLimits;
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { tickets, registry, holder, clock, limits } = deps;
  const view = (t: Ticket<NonRecognition>) => ({
    ticketId: t.ticketId,
    status: reportStatus(t.state),
    region: t.region,
    province: t.province,
    provinceName: registry.get(t.province)?.name ?? t.province,
    ...t.details,
    answer: t.answer,
    hotline: HOTLINE,
    hotlineText: HOTLINE_TEXT,
    hotlineTextEn: HOTLINE_TEXT_EN,
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
  });
  return async (app) => {
    app.addHook('preHandler', holder);
    const common = { tags: ['reports'], security: BEARER };

    app.post(
      '/api/v1/me/reports/non-recognition',
      {
        schema: {
          ...common,
          operationId: 'reportNonRecognition',
          summary:
            "Report a checkpoint that refused a code the holder believes valid (routed to the place's authority)",
          body: Type.Object(
            {
              region: Type.String({
                pattern: '^[0-9]{6}$',
                description: "The checkpoint's region (GB/T 2260)",
              }),
              at: Type.String({ format: 'date-time' }),
              checkpointId: Type.String({ minLength: 1, maxLength: 64 }),
              issuer: Type.String({
                minLength: 1,
                maxLength: 16,
                description: "The refused code's issuer (iss)",
              }),
              description: Type.Optional(MultilineText({ maxLength: 1000 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Report, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            view(
              await limits
                .take('tickets', request.personId)
                .then(() => tickets.reportNonRecognition(request.personId, request.body, clock())),
            ),
          ),
    );

    app.get(
      '/api/v1/me/reports',
      {
        schema: {
          ...common,
          operationId: 'listMyReports',
          summary: "The holder's reports and their answers",
          response: { 200: Type.Object({ reports: Type.Array(Report) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        reports: (await tickets.ofPerson<NonRecognition>(request.personId)).map(view),
      }),
    );
  };
}
