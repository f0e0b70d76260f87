import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { useMount, type Mount } from '../http/authenticate.ts';
import { ColourSchema, ERROR_RESPONSES, ReasonSchema } from '../http/schemas.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import type { Clock } from '../time/clock.ts';
import {
  ALREADY_APPLIED_NOTICE,
  ALREADY_APPLIED_NOTICE_EN,
  type CodeService,
  type IssuedCode,
} from './code.service.ts';
import { renderPng, renderSvg } from './qr.ts';

const CodeResponse = Type.Object({
  code: Type.String({ description: 'The QR text: YMT1: + base45 (docs/code-format.md)' }),
  codeId: Type.String({ description: 'cti, hex' }),
  issuer: Type.String(),
  colour: ColourSchema,
  maskedName: Type.String(),
  issuedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  reasons: Type.Array(ReasonSchema),
  alreadyApplied: Type.Boolean(),
  notice: Type.Optional(Type.String()),
  noticeEn: Type.Optional(Type.String()),
  qrSvg: Type.Optional(
    Type.String({
      description:
        'The QR code as an SVG document (error-correction level M), only when asked for with ?qr=svg: clients draw the QR from `code`',
    }),
  ),
  serverTime: Type.String({
    format: 'date-time',
    description:
      "The hub's clock when it answered: clients count down to expiresAt on this clock, not their own",
  }),
});

/** The code as the API answers it (the citizen app reads the same type). */
export type CodeAnswer = Static<typeof CodeResponse>;

/** `?qr=svg`: the answer carries the QR drawn as SVG; without it the client draws the QR from the token. */
const CodeQuery = Type.Object({ qr: Type.Optional(Type.Literal('svg')) }, { additionalProperties: false });

async function toResponse(c: IssuedCode, now: Date, qr: 'svg' | undefined): Promise<CodeAnswer> {
  return {
    code: c.code,
    codeId: c.codeId,
    issuer: c.issuer,
    colour: c.colour,
    maskedName: c.maskedName,
    issuedAt: c.issuedAt.toISOString(),
    expiresAt: c.expiresAt.toISOString(),
    reasons: [...c.reasons],
    alreadyApplied: c.alreadyApplied,
    ...(c.alreadyApplied ? { notice: ALREADY_APPLIED_NOTICE, noticeEn: ALREADY_APPLIED_NOTICE_EN } : {}),
    ...(qr === 'svg' ? { qrSvg: await renderSvg(c.code) } : {}),
    serverTime: now.toISOString(),
  };
}

export function codeRoutes(deps: {
  readonly codes: CodeService;
  /** The holder's own (`/api/v1/me`) or a family member's (src/family). */
  readonly mount: Mount;
  /** A holder's budget of code requests (for themself and those they act for): far above what a person does. */
  readonly limits: RateLimits;
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { codes, mount, clock, limits } = deps;
  return async (app) => {
    const { path, schema, operation } = useMount(app, mount, ['code']);
    app.addHook('preHandler', async (request) => {
      await limits.take('codes', request.personId);
    });
    const show = async (request: FastifyRequest, now: Date) =>
      codes.apply(request.subject.personId, request.subject.snapshot, now);

    app.post(
      path('/code'),
      {
        config: { purpose: 'code.show' },
        schema: {
          ...schema,
          operationId: operation('applyForCode'),
          summary: '申领健康码 (apply to call the code): no daily limit; a holder who applied gets it again',
          querystring: CodeQuery,
          response: { 200: CodeResponse, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const now = clock();
        return toResponse(await show(request, now), now, request.query.qr);
      },
    );

    app.get(
      path('/code'),
      {
        config: { purpose: 'code.show' },
        schema: {
          ...schema,
          operationId: operation('viewCode'),
          summary: '您已领取，立即查看 (view the code): the current code, refreshed when it nears expiry',
          querystring: CodeQuery,
          response: { 200: CodeResponse, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const now = clock();
        return toResponse(await show(request, now), now, request.query.qr);
      },
    );

    app.get(
      path('/code.png'),
      {
        config: { purpose: 'code.show' },
        schema: {
          ...schema,
          operationId: operation('makeCode'),
          summary: '生成健康码 (make the code): the current code as a PNG image',
          response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const c = await show(request, clock());
        const png = await renderPng(c.code);
        return reply
          .header('content-type', 'image/png')
          .header('cache-control', 'no-store')
          .header('x-ymt-expires-at', c.expiresAt.toISOString())
          .send(png);
      },
    );
  };
}
