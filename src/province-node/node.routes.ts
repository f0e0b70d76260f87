/**
 * A provincial node's federation routes: the two the hub calls (signed with its trust anchor) when a holder
 * links this province's code and when it gathers their linked codes, and the one its checkpoints call to ask
 * the hub for a traveller's national status with the traveller's consent token.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../errors/app-error.ts';
import { DocumentFields, ERROR_RESPONSES, HolderSummarySchema } from '../http/schemas.ts';
import { documentOrThrow, type DocumentFieldsInput } from '../identity/real-name.ts';
import { requireHub } from '../federation/authenticate-peer.ts';
import { holderSummary } from '../status/holder-summary.ts';
import { PeerUnavailableError } from '../federation/signed-client.ts';

export function nodeRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['federation (node API)'];

    // The two routes the hub calls, signed with its trust anchor.
    const preHandler = requireHub(ctx);
    const documentOf = (b: DocumentFieldsInput) => documentOrThrow(b, ctx.clock());

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
      async (request) => {
        const doc = documentOf(request.body);
        const [holder, person] = await Promise.all([
          ctx.codes.holderOf(request.body.codeId),
          ctx.persons.findByDocument(doc),
        ]);
        return { match: holder !== undefined && holder === person?.personId };
      },
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
      async (request) => {
        const person = await ctx.persons.findByDocument(documentOf(request.body));
        if (!person) return { known: false };
        return { known: true, ...(await holderSummary(ctx, person.personId, ctx.clock())) };
      },
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
        const node = ctx.node;
        if (!node) throw new AppError('YMT_ERR_NOT_FOUND');
        try {
          const res = await node.hub.call('POST', '/api/v1/federation/national-status', request.body);
          return await reply.code(res.status).send(res.body as never);
        } catch (e) {
          if (e instanceof PeerUnavailableError) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
          throw e;
        }
      },
    );
  };
}
