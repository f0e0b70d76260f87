/**
 * The province API's routes about holders (docs/federation.md#who-a-province-speaks-for): the real-name check and
 * the confirmation that make a holder the province's, the status deltas it pushes for them, and a holder's
 * national status for its checkpoints with their consent. Signed with the province's access key, as every route
 * of the province API (province-api.routes.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RealNameBody } from '../auth/auth.routes.ts';
import { EXCHANGE_BODY_LIMIT } from '../exchange/exchange.domain.ts';
import type { PeerHook } from '../federation/authenticate-peer.ts';
import {
  CaseStatusSchema,
  ColourSchema,
  DeltasAnswerSchema,
  DocumentFields,
  ERROR_RESPONSES,
  HolderSummarySchema,
  ReasonSchema,
} from '../http/schemas.ts';
import { FAILURES, type RateLimits } from '../limits/rate-limits.ts';
import type { Clock } from '../time/clock.ts';
import type { ProvinceHoldersService } from './province-holders.service.ts';
import type { StatusDeltasService } from './status-deltas.service.ts';
import { RecordText } from '../http/text-schemas.ts';

export interface ProvinceHoldersDeps {
  /** Checks the request's signature against the calling province's access key. */
  readonly provinceAuth: PeerHook;
  readonly provinceHolders: ProvinceHoldersService;
  readonly statusDeltas: StatusDeltasService;
  readonly limits: RateLimits;
  readonly clock: Clock;
}

const Delta = Type.Object(
  {
    id: Type.Integer({ minimum: 1, description: "The node's outbox id; increasing" }),
    ...DocumentFields,
    colour: ColourSchema,
    // Each delta's texts and time are checked by the service, delta by delta (one bad delta never fails the batch).
    reasonCode: RecordText({ minLength: 1, maxLength: 64 }),
    reasonText: RecordText({ maxLength: 500 }),
    reasonTextEn: RecordText({ maxLength: 500 }),
    changedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export function provinceHoldersRoutes(deps: ProvinceHoldersDeps): FastifyPluginAsyncTypebox {
  const { provinceHolders, statusDeltas, clock } = deps;
  return async (app) => {
    app.addHook('preHandler', deps.provinceAuth);
    const common = { tags: ['federation (province API)'], security: [{ provinceSignature: [] }] };

    app.post(
      '/api/v1/federation/identities/verify',
      {
        schema: {
          ...common,
          operationId: 'verifyIdentity',
          summary:
            'Real-name check for a holder signing in at the node (national unified identity authentication): match or not; on a match the hub texts the holder a code to confirm with',
          body: RealNameBody,
          response: {
            200: Type.Object({
              match: Type.Boolean(),
              challenge: Type.Optional(
                Type.Object({
                  id: Type.String(),
                  sentTo: Type.String({ description: 'The phone the code went to, masked' }),
                  expiresAt: Type.String({ format: 'date-time' }),
                }),
              ),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        // A province's checks are limited as the hub's own sign-in is: per document (at this province) and per
        // province, a few misses, then growing delays (docs/operations.md#rate-limits).
        const document = `identity:${request.province}:${request.body.documentType}:${request.body.documentNumber.toUpperCase()}`;
        const NO_MATCH = new Error('no match');
        const r = await deps.limits
          .guarded(
            [
              [document, FAILURES.perDocument.free],
              [`identity:province:${request.province}`, FAILURES.perClient.free * 5],
            ],
            [document],
            async () => {
              const answer = await provinceHolders.verifyIdentity(request.province, request.body, clock());
              if (!answer.match) throw NO_MATCH;
              return answer;
            },
            (e) => e === NO_MATCH,
          )
          .catch((e: unknown) => {
            if (e === NO_MATCH) return { match: false, challenge: undefined };
            throw e;
          });
        return r.challenge
          ? {
              match: r.match,
              challenge: { ...r.challenge, expiresAt: new Date(r.challenge.expiresAt).toISOString() },
            }
          : { match: r.match };
      },
    );

    app.post(
      '/api/v1/federation/identities/confirm',
      {
        schema: {
          ...common,
          operationId: 'confirmIdentity',
          summary:
            "The code the holder received: from now on the holder is the province's; answers who they are and their national status",
          body: Type.Object(
            { challengeId: Type.String({ format: 'uuid' }), code: Type.String({ pattern: '^[0-9]{6}$' }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              document: Type.Object(DocumentFields),
              name: Type.String(),
              national: Type.Object({
                id: Type.Integer({ description: 'The exchange id of this status (0: nothing queued yet)' }),
                status: Type.Object({
                  colour: ColourSchema,
                  reasons: Type.Array(ReasonSchema),
                  caseStatus: Type.Optional(CaseStatusSchema),
                }),
                asOf: Type.String({ format: 'date-time' }),
              }),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const r = await provinceHolders.confirmSignIn(
          request.province,
          request.body.challengeId,
          request.body.code,
          clock(),
        );
        return {
          document: r.document,
          name: r.name,
          national: {
            id: r.national.id,
            status: {
              colour: r.national.status.colour,
              reasons: [...r.national.status.reasons],
              ...(r.national.status.caseStatus ? { caseStatus: r.national.status.caseStatus } : {}),
            },
            asOf: new Date(r.national.asOf).toISOString(),
          },
        };
      },
    );

    app.post(
      '/api/v1/federation/status-deltas',
      {
        // A batch of the exchange (src/exchange): the sender keeps it under EXCHANGE_MAX_BYTES.
        bodyLimit: EXCHANGE_BODY_LIMIT,
        schema: {
          ...common,
          operationId: 'pushStatusDeltas',
          summary:
            "Push residents' status changes (idempotent by delta id; only holders who signed in at the node)",
          body: Type.Object(
            { deltas: Type.Array(Delta, { maxItems: 1000 }) },
            { additionalProperties: false },
          ),
          response: {
            200: DeltasAnswerSchema,
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => statusDeltas.apply(request.province, request.body.deltas, clock()),
    );

    app.post(
      '/api/v1/federation/national-status',
      {
        schema: {
          ...common,
          operationId: 'queryNationalStatus',
          summary:
            "A holder's national status for the province's checkpoint, with the holder's consent token",
          body: Type.Object(
            { consentToken: Type.String({ minLength: 16, maxLength: 100 }) },
            { additionalProperties: false },
          ),
          response: {
            200: HolderSummarySchema,
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => provinceHolders.nationalStatus(request.province, request.body.consentToken, clock()),
    );
  };
}
