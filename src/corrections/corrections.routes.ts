/**
 * The holder's corrections (我要纠错, Q2.8; docs/corrections.md): dispute a record the hub shows them, follow the
 * ticket, attach documents, reopen it once. On the hub.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HolderHook } from '../http/authenticate.ts';
import { BEARER, ERROR_RESPONSES, EvidenceSchema } from '../http/schemas.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import type { Clock } from '../time/clock.ts';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES } from './attachments.ts';
import { TEXT_MAX, type CorrectionsService } from './corrections.service.ts';
import { holderView, HolderCorrectionSchema, KindSchema, OwnerSchema } from './corrections.views.ts';
import { MultilineText } from '../http/text-schemas.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function correctionsRoutes(deps: {
  readonly corrections: CorrectionsService;
  readonly registry: ProvinceRegistry;
  readonly holder: HolderHook;
  /** Filing tickets is limited per holder (src/limits), beside the corrections' own caps. */
  readonly limits: RateLimits;
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { corrections, registry, holder, clock, limits } = deps;
  return async (app) => {
    app.addHook('preHandler', holder);
    // Attachments arrive as the file itself; what it is, is decided by its content (attachments.ts).
    app.addContentTypeParser(
      [...ATTACHMENT_TYPES, 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: 2 * ATTACHMENT_MAX_BYTES },
      (_request, body, done) => {
        done(null, body);
      },
    );
    const common = { tags: ['corrections'], security: BEARER };

    app.post(
      '/api/v1/me/corrections',
      {
        schema: {
          ...common,
          operationId: 'submitCorrection',
          summary:
            '我要纠错: dispute one record the hub shows you (a reason’s or a sub-route’s evidence); the same record again joins its open ticket',
          body: Type.Object(
            {
              evidence: Type.Object(EvidenceSchema.properties, { additionalProperties: false }),
              kind: KindSchema,
              text: MultilineText({ minLength: 1, maxLength: TEXT_MAX }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ ...CreatedProps, merged: Type.Literal(true) }),
            201: Type.Object({ ...CreatedProps, merged: Type.Literal(false) }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        await limits.take('tickets', request.personId);
        const { correction: c, merged } = await corrections.submit(request.personId, request.body, clock());
        const body = {
          id: c.ticketId,
          state: c.state,
          owner: holderView(c, registry).owner,
          dueAt: c.dueAt === null ? null : new Date(c.dueAt).toISOString(),
        };
        return merged
          ? reply.code(200).send({ ...body, merged: true })
          : reply.code(201).send({ ...body, merged: false });
      },
    );

    app.get(
      '/api/v1/me/corrections',
      {
        schema: {
          ...common,
          operationId: 'listCorrections',
          summary: 'Your corrections, newest first, with their states and answers',
          response: {
            200: Type.Object({ corrections: Type.Array(HolderCorrectionSchema) }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => ({
        corrections: (await corrections.list(request.personId)).map((c) => holderView(c, registry)),
      }),
    );

    app.get(
      '/api/v1/me/corrections/:id',
      {
        schema: {
          ...common,
          operationId: 'getCorrection',
          summary: 'One of your corrections, with every change of its state and its attachments',
          params: Id,
          response: { 200: HolderCorrectionSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { correction, ...more } = await corrections.ofHolder(request.personId, request.params.id);
        return holderView(correction, registry, more);
      },
    );

    app.post(
      '/api/v1/me/corrections/:id/reopen',
      {
        schema: {
          ...common,
          operationId: 'reopenCorrection',
          summary: 'Reopen a rejected or closed correction, once, with new information',
          params: Id,
          body: Type.Object(
            { text: MultilineText({ minLength: 1, maxLength: TEXT_MAX }) },
            { additionalProperties: false },
          ),
          response: { 200: HolderCorrectionSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        holderView(
          await corrections.reopen(request.personId, request.params.id, request.body.text, clock()),
          registry,
        ),
    );

    app.post(
      '/api/v1/me/corrections/:id/attachments',
      {
        bodyLimit: 2 * ATTACHMENT_MAX_BYTES,
        schema: {
          ...common,
          operationId: 'attachToCorrection',
          summary: `Attach a PDF, JPEG or PNG (the file itself as the body; at most ${String(ATTACHMENT_MAX_BYTES / 1024 / 1024)} MiB, 3 a correction; the type is checked by content)`,
          params: Id,
          response: {
            201: Type.Object({ n: Type.Integer(), contentType: Type.String(), size: Type.Integer() }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
        const a = await corrections.attach(request.personId, request.params.id, bytes, clock());
        return reply.code(201).send({ n: a.n, contentType: a.contentType, size: a.size });
      },
    );

    app.get(
      '/api/v1/me/corrections/:id/attachments/:n',
      {
        schema: {
          ...common,
          operationId: 'getCorrectionAttachment',
          summary: 'One of your attachments, as you sent it',
          params: Type.Object({
            id: Type.String({ format: 'uuid' }),
            n: Type.String({ pattern: '^[1-9][0-9]{0,2}$' }),
          }),
        },
      },
      async (request, reply) => {
        const a = await corrections.attachment(
          { personId: request.personId },
          request.params.id,
          Number(request.params.n),
          clock(),
        );
        return reply.type(a.contentType).header('content-disposition', 'attachment').send(a.data);
      },
    );
  };
}

const CreatedProps = {
  id: Type.String(),
  state: Type.String(),
  owner: OwnerSchema,
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
};
