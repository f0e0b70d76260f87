/**
 * A provincial node's federation routes: those the hub calls (signed with its trust anchor) — when a holder links
 * this province's code, when it gathers their linked codes, and when it sends the national status of this node's
 * holders (the status exchange) — and the one its checkpoints call to ask the hub for a traveller's national
 * status with the traveller's consent token.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../errors/app-error.ts';
import { EXCHANGE_BODY_LIMIT } from '../exchange/exchange.domain.ts';
import type { PeerHook } from '../federation/authenticate-peer.ts';
import { PeerUnavailableError, type SignedClient } from '../federation/signed-client.ts';
import {
  CaseStatusSchema,
  ColourSchema,
  DeltasAnswerSchema,
  DocumentFields,
  ERROR_RESPONSES,
  HolderSummarySchema,
  ReasonSchema,
} from '../http/schemas.ts';
import { documentOrThrow, type DocumentFieldsInput } from '../identity/real-name.ts';
import type { Clock } from '../time/clock.ts';
import type { NationalStatusService } from './national-status.service.ts';
import type { NodeAnswersService } from './node-answers.service.ts';

const NationalDelta = Type.Object(
  {
    id: Type.Integer({ minimum: 1, description: "The hub's outbox id for this node; increasing" }),
    ...DocumentFields,
    colour: ColourSchema,
    reasons: Type.Array(ReasonSchema, { maxItems: 50 }),
    caseStatus: Type.Optional(CaseStatusSchema),
    changedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export function nodeRoutes(deps: {
  /** Checks that the hub signed the request with its trust anchor. */
  readonly hubAuth: PeerHook;
  readonly answers: NodeAnswersService;
  readonly national: NationalStatusService;
  /** The node's client of the hub. */
  readonly hub: SignedClient;
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { answers, national, hub, clock } = deps;
  return async (app) => {
    const tags = ['federation (node API)'];

    // The two routes the hub calls, signed with its trust anchor.
    const preHandler = deps.hubAuth;
    const documentOf = (b: DocumentFieldsInput) => documentOrThrow(b, clock());

    app.post(
      '/api/v1/federation/code-holder',
      {
        preHandler,
        schema: {
          tags,
          operationId: 'proveCodeOwner',
          summary: 'Whether this code was issued here to the holder with this document (linking a code)',
          body: Type.Object(
            { codeId: Type.String({ pattern: '^[0-9a-f]{32}$' }), ...DocumentFields },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ match: Type.Boolean() }), ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        match: await answers.isCodeHolder(request.body.codeId, documentOf(request.body)),
      }),
    );

    app.post(
      '/api/v1/federation/holder-status',
      {
        preHandler,
        schema: {
          tags,
          operationId: 'queryProvincialStatus',
          summary: "The province's current status of a holder who linked its code",
          body: Type.Object(DocumentFields, { additionalProperties: false }),
          response: {
            200: Type.Object({ known: Type.Boolean(), ...Type.Partial(HolderSummarySchema).properties }),
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => answers.holderStatus(documentOf(request.body), clock()),
    );

    app.post(
      '/api/v1/federation/national-deltas',
      {
        // A batch of the exchange (src/exchange): the hub keeps it under EXCHANGE_MAX_BYTES.
        bodyLimit: EXCHANGE_BODY_LIMIT,
        preHandler,
        schema: {
          tags,
          operationId: 'receiveNationalStatus',
          summary:
            "The national status of this node's holders, from the hub (idempotent by delta id; docs/federation.md#status-exchange)",
          body: Type.Object(
            { deltas: Type.Array(NationalDelta, { maxItems: 1000 }) },
            { additionalProperties: false },
          ),
          response: {
            200: DeltasAnswerSchema,
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => national.apply(request.body.deltas, clock()),
    );

    app.post(
      '/api/v1/checkpoint/national-status',
      {
        schema: {
          tags: ['verification'],
          operationId: 'checkpointNationalStatus',
          summary:
            "For this province's checkpoints: a traveller's national status from the hub, with their consent token",
          body: Type.Object(
            { consentToken: Type.String({ minLength: 16, maxLength: 100 }) },
            { additionalProperties: false },
          ),
          response: { 200: HolderSummarySchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        try {
          const res = await hub.call('POST', '/api/v1/federation/national-status', request.body);
          return await reply.code(res.status).send(res.body as never);
        } catch (e) {
          if (e instanceof PeerUnavailableError) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
          throw e;
        }
      },
    );
  };
}
