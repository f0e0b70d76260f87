/**
 * The owners' side of corrections (docs/corrections.md#owners), written once and mounted three times — for a
 * department with its feed credential (`/api/v1/feeds/{source}/corrections`), for a province through the province
 * API (`/api/v1/federation/corrections`), and in the operations console (`/api/v1/console/corrections`): list,
 * read, take in review, decide, read an attachment, and the oversight figures. Each entry point says who acts; the
 * service decides what that actor owns, so an owner never sees another's tickets.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static, type TProperties } from 'typebox';
import type { Actor } from '../access/actor.ts';
import { ERROR_RESPONSES } from '../http/schemas.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import { ANSWER_MAX } from '../tickets/tickets.service.ts';
import type { Clock } from '../time/clock.ts';
import type { Decision } from './corrections.effects.ts';
import type { CorrectionsService, Correction } from './corrections.service.ts';
import {
  OwnerCorrectionSchema,
  ownerCorrectionView,
  ownerView,
  OwnerSchema,
  StateSchema,
} from './corrections.views.ts';
import { MultilineText } from '../http/text-schemas.ts';

export const DecisionSchema = Type.Object(
  {
    decision: Type.Union([Type.Literal('accept'), Type.Literal('reject')]),
    answer: Type.Optional(
      MultilineText({ maxLength: ANSWER_MAX, description: 'Required to reject: the holder reads it' }),
    ),
    action: Type.Optional(
      Type.Union([Type.Literal('retract'), Type.Literal('amend')], {
        description: 'A feed record: retract it (the default) or amend it with `record`',
      }),
    ),
    record: Type.Optional(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description: 'The amended record: the source’s fields (docs/feeds.md)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const FiguresSchema = Type.Object({
  owner: OwnerSchema,
  total: Type.Integer(),
  open: Type.Integer(),
  overdue: Type.Integer(),
  escalated: Type.Integer(),
  medianFirstAnswerSeconds: Type.Union([Type.Number(), Type.Null()]),
  medianResolutionSeconds: Type.Union([Type.Number(), Type.Null()]),
});
export const OversightSchema = Type.Object({ owners: Type.Array(FiguresSchema) });
export type OversightAnswer = Static<typeof OversightSchema>;
export type OwnerCorrectionAnswer = Static<typeof OwnerCorrectionSchema>;

export interface OwnerRoutesOptions {
  readonly corrections: CorrectionsService;
  readonly registry: ProvinceRegistry;
  readonly clock: Clock;
  /** Where the routes live; may hold path parameters (declared in `params`). */
  readonly prefix: string;
  readonly params?: TProperties;
  /** Who acts on this request (after the entry point's own authentication). */
  readonly actorOf: (request: FastifyRequest) => Promise<Actor> | Actor;
  readonly schema: { readonly tags: string[]; readonly security: Record<string, string[]>[] };
  /** Route config (the console's section), and the operation ids' prefix. */
  readonly config?: Record<string, unknown>;
  readonly operation: string;
}

export function ownerCorrectionsRoutes(o: OwnerRoutesOptions): FastifyPluginAsyncTypebox {
  const { corrections, registry, clock } = o;
  const Id = Type.Object({ ...o.params, id: Type.String({ format: 'uuid' }) });
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const view = async (c: Correction, more?: Parameters<typeof ownerCorrectionView>[4]) =>
    ownerCorrectionView(c, await corrections.holderName(c.personId), registry, clock().getTime(), more);
  const opts = (operationId: string, summary: string, schema: Record<string, unknown>) => ({
    ...(o.config ? { config: o.config } : {}),
    schema: { ...o.schema, operationId: `${o.operation}${operationId}`, summary, ...schema },
  });

  return async (app) => {
    app.get(
      o.prefix,
      opts('ListCorrections', 'Corrections routed to you (operators: all), by state, or the escalated ones', {
        ...(o.params ? { params: Type.Object(o.params) } : {}),
        querystring: Type.Object(
          {
            state: Type.Optional(StateSchema),
            escalated: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ corrections: Type.Array(OwnerCorrectionSchema) }),
          ...ERROR_RESPONSES,
        },
      }),
      async (request) => {
        const q = request.query as { state?: Correction['state']; escalated?: 'true' | 'false' };
        const list = await corrections.queue(
          await o.actorOf(request),
          {
            ...(q.state === undefined ? {} : { states: [q.state] }),
            ...(q.escalated === 'true' ? { escalated: true } : {}),
          },
          clock(),
        );
        return { corrections: await Promise.all(list.map((c) => view(c))) };
      },
    );

    app.get(
      `${o.prefix}/oversight`,
      opts(
        'CorrectionsOversight',
        'Per owner: open, overdue, escalated; median times to first answer and to decision',
        {
          ...(o.params ? { params: Type.Object(o.params) } : {}),
          response: { 200: OversightSchema, ...ERROR_RESPONSES },
        },
      ),
      async (request): Promise<OversightAnswer> => ({
        owners: (await corrections.oversight(await o.actorOf(request), clock())).map((f) => ({
          owner: ownerView(f.owner, registry),
          total: f.total,
          open: f.open,
          overdue: f.overdue,
          escalated: f.escalated,
          medianFirstAnswerSeconds: f.medianFirstAnswerMs === null ? null : f.medianFirstAnswerMs / 1000,
          medianResolutionSeconds: f.medianResolutionMs === null ? null : f.medianResolutionMs / 1000,
        })),
      }),
    );

    app.get(
      `${o.prefix}/:id`,
      opts('GetCorrection', 'One correction with its history and attachments', {
        params: Id,
        response: { 200: OwnerCorrectionSchema, ...ERROR_RESPONSES },
      }),
      async (request) => {
        const { correction, ...more } = await corrections.ofOwner(
          await o.actorOf(request),
          idOf(request),
          clock(),
        );
        return view(correction, more);
      },
    );

    app.post(
      `${o.prefix}/:id/review`,
      opts('ReviewCorrection', 'Take a correction in review (your first answer)', {
        params: Id,
        response: { 200: OwnerCorrectionSchema, ...ERROR_RESPONSES },
      }),
      async (request) => view(await corrections.review(await o.actorOf(request), idOf(request), clock())),
    );

    app.post(
      `${o.prefix}/:id/decision`,
      opts(
        'DecideCorrection',
        'Accept (the record is retracted or amended, statuses recomputed at once) or reject with an answer',
        { params: Id, body: DecisionSchema, response: { 200: OwnerCorrectionSchema, ...ERROR_RESPONSES } },
      ),
      async (request) =>
        view(
          await corrections.decide(
            await o.actorOf(request),
            idOf(request),
            request.body as Decision,
            clock(),
          ),
        ),
    );

    app.get(
      `${o.prefix}/:id/attachments/:n`,
      opts('GetCorrectionAttachment', 'One of the holder’s attachments', {
        params: Type.Object({ ...Id.properties, n: Type.String({ pattern: '^[1-9][0-9]{0,2}$' }) }),
      }),
      async (request, reply) => {
        const a = await corrections.attachment(
          { actor: await o.actorOf(request) },
          idOf(request),
          Number((request.params as { n: string }).n),
          clock(),
        );
        return reply.type(a.contentType).header('content-disposition', 'attachment').send(a.data);
      },
    );
  };
}
