/**
 * Non-recognition reports (Q7): a holder whose valid code a checkpoint refused reports where, when, which
 * checkpoint and whose code; the report is routed to the authority of the provincial unit of the place, which
 * answers it through the province API; the holder follows it here and is shown the 12345 hotline.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../errors/app-error.ts';
import { requireHolder } from '../http/authenticate.ts';
import { BEARER, ERROR_RESPONSES } from '../http/schemas.ts';
import type { Ticket } from './tickets.repository.ts';

export const HOTLINE = '12345' as const;
const HOTLINE_TEXT = '如对处理结果有异议，可拨打当地 12345 政务服务便民热线';
const HOTLINE_TEXT_EN = 'If you disagree with the answer, call the local 12345 government service hotline';

interface NonRecognition {
  readonly at: string;
  readonly checkpointId: string;
  readonly issuer: string;
  readonly description?: string;
}

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

export function reportsRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const view = (t: Ticket<NonRecognition>) => ({
    ticketId: t.ticketId,
    status: t.status,
    region: t.region,
    province: t.province,
    provinceName: ctx.provinces.get(t.province)?.name ?? t.province,
    ...t.details,
    answer: t.answer,
    hotline: HOTLINE,
    hotlineText: HOTLINE_TEXT,
    hotlineTextEn: HOTLINE_TEXT_EN,
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
  });
  return async (app) => {
    app.addHook('preHandler', requireHolder(ctx));
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
              description: Type.Optional(Type.String({ maxLength: 1000 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Report, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { region, ...details } = request.body;
        const unit = ctx.provinces.unitOf(region);
        if (!unit) throw new AppError('YMT_ERR_REGION_UNKNOWN');
        const t = await ctx.tickets.open<NonRecognition>(
          { kind: 'non-recognition', personId: request.personId, province: unit.code, region, details },
          ctx.clock().getTime(),
        );
        return reply.code(201).send(view(t));
      },
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
        reports: (await ctx.tickets.ofPerson<NonRecognition>(request.personId)).map(view),
      }),
    );
  };
}
