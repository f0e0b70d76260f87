/**
 * The hub's province API (docs/federation.md#province-api): every route is called by a provincial node and
 * signed with its access key; each lets the province touch only its own part (the access matrix in
 * docs/federation.md#access-matrix). The province acts as its authority would at the console: the same services
 * decide, with the same refusals. What concerns holders (sign-in confirmation, status deltas, the national
 * status for a checkpoint) is in province-holders.routes.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { provinceNodeActor } from '../access/actor.ts';
import { AppError } from '../errors/app-error.ts';
import type { PeerHook } from '../federation/authenticate-peer.ts';
import { ERROR_RESPONSES } from '../http/schemas.ts';
import type { AcceptanceRuleSetsService } from '../recognition/acceptance-rule-sets.service.ts';
import type { NonRecognition } from '../tickets/non-recognition.ts';
import { reportFilter, reportStatus, type TicketsService } from '../tickets/tickets.service.ts';
import type { Clock } from '../time/clock.ts';
import type { IssuerKeysService } from './issuer-keys.service.ts';
import type { ProvincesService } from './provinces.service.ts';
import { MultilineText } from '../http/text-schemas.ts';

export interface ProvinceApiDeps {
  /** Checks the request's signature against the calling province's access key. */
  readonly provinceAuth: PeerHook;
  readonly provinces: ProvincesService;
  readonly issuerKeys: IssuerKeysService;
  readonly acceptanceRuleSets: AcceptanceRuleSetsService;
  readonly tickets: TicketsService;
  readonly clock: Clock;
}

const ReportSchema = Type.Object({
  ticketId: Type.String(),
  province: Type.String(),
  region: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('answered')]),
  answer: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  details: Type.Object({}, { additionalProperties: true }),
});

export function provinceApiRoutes(deps: ProvinceApiDeps): FastifyPluginAsyncTypebox {
  const { provinces, issuerKeys, acceptanceRuleSets, tickets, clock } = deps;
  return async (app) => {
    app.addHook('preHandler', deps.provinceAuth);
    const common = { tags: ['federation (province API)'], security: [{ provinceSignature: [] }] };
    const Ok = Type.Object({ ok: Type.Literal(true) });

    app.put(
      '/api/v1/federation/node',
      {
        schema: {
          ...common,
          operationId: 'registerNode',
          summary:
            'Where the province node listens (the hub calls it for linked codes): https, no loopback, link-local or metadata address (docs/federation.md#node-urls)',
          body: Type.Object(
            { url: Type.String({ pattern: '^https?://', maxLength: 300 }) },
            { additionalProperties: false },
          ),
          response: { 200: Ok, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        try {
          await provinces.setNodeUrl(request.province, request.body.url, clock());
        } catch (e) {
          if (e instanceof AppError && e.code === 'YMT_ERR_NODE_URL_REFUSED')
            request.log.warn(
              { province: request.province, problem: (e as { problem?: string }).problem },
              'node URL refused',
            );
          throw e;
        }
        return { ok: true as const };
      },
    );

    app.post(
      '/api/v1/federation/signing-keys',
      {
        schema: {
          ...common,
          operationId: 'uploadSigningKey',
          summary: 'Upload a code-signing key certified by the province root (or shorten a key it certified)',
          body: Type.Object(
            { certificate: Type.Object({}, { additionalProperties: true }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ kid: Type.String(), changed: Type.Boolean() }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        try {
          return await issuerKeys.upload(request.province, request.body.certificate, clock());
        } catch (e) {
          if (e instanceof AppError && e.code === 'YMT_ERR_KEY_CERTIFICATE_INVALID')
            request.log.warn(
              { province: request.province, problem: e.details?.[0]?.message },
              'key certificate refused',
            );
          throw e;
        }
      },
    );

    app.get(
      '/api/v1/federation/signing-keys',
      {
        schema: {
          ...common,
          operationId: 'listSigningKeys',
          summary: "The province's own keys as the hub holds them",
          response: {
            200: Type.Object({
              keys: Type.Array(
                Type.Object({
                  kid: Type.String(),
                  notBefore: Type.String({ format: 'date-time' }),
                  notAfter: Type.String({ format: 'date-time' }),
                  revokedAt: Type.Optional(Type.String({ format: 'date-time' })),
                }),
              ),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => ({
        keys: (await issuerKeys.keysOf(request.province)).map((k) => ({
          kid: k.kid,
          notBefore: new Date(k.notBefore).toISOString(),
          notAfter: new Date(k.notAfter).toISOString(),
          ...(k.revokedAt === null ? {} : { revokedAt: new Date(k.revokedAt).toISOString() }),
        })),
      }),
    );

    app.post(
      '/api/v1/federation/signing-keys/:kid/revoke',
      {
        schema: {
          ...common,
          operationId: 'revokeSigningKey',
          summary:
            "Emergency revocation of one of the province's own keys (its codes fail everywhere at the next refresh)",
          params: Type.Object({ kid: Type.String({ pattern: '^[A-Za-z0-9_-]{11}$' }) }),
          body: Type.Object(
            { reason: Type.String({ minLength: 1, maxLength: 500 }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ kid: Type.String(), changed: Type.Boolean() }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { kid, changed } = await issuerKeys.revoke(
          provinceNodeActor(request.province),
          { kid: request.params.kid, reason: request.body.reason },
          clock(),
        );
        return { kid, changed };
      },
    );

    app.post(
      '/api/v1/federation/acceptance-rules',
      {
        schema: {
          ...common,
          operationId: 'publishAcceptanceRules',
          summary: "Publish a version of the province's acceptance rules (distributed with the trust list)",
          body: Type.Object(
            { ruleSet: Type.Object({}, { additionalProperties: true }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ id: Type.String(), version: Type.String(), created: Type.Boolean() }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const { ruleSet, created } = await acceptanceRuleSets.publish(
          provinceNodeActor(request.province),
          request.body.ruleSet,
          clock(),
        );
        return { id: ruleSet.id, version: ruleSet.version, created };
      },
    );

    app.get(
      '/api/v1/federation/reports',
      {
        schema: {
          ...common,
          operationId: 'listProvinceReports',
          summary: "Non-recognition reports routed to the province's authority",
          querystring: Type.Object(
            { status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('answered')])) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ reports: Type.Array(ReportSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        reports: (
          await tickets.queue<NonRecognition>(
            provinceNodeActor(request.province),
            reportFilter(request.query.status),
          )
        ).map((t) => ({
          ticketId: t.ticketId,
          province: t.province,
          region: t.region,
          status: reportStatus(t.state),
          answer: t.answer,
          createdAt: new Date(t.createdAt).toISOString(),
          updatedAt: new Date(t.updatedAt).toISOString(),
          details: { ...t.details },
        })),
      }),
    );

    app.post(
      '/api/v1/federation/reports/:ticketId/answer',
      {
        schema: {
          ...common,
          operationId: 'answerReport',
          summary: "Answer a report routed to the province (another province's reports are not found)",
          params: Type.Object({ ticketId: Type.String({ format: 'uuid' }) }),
          body: Type.Object(
            { answer: MultilineText({ minLength: 1, maxLength: 2000 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ ticketId: Type.String(), status: Type.Literal('answered') }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const t = await tickets.answer(
          provinceNodeActor(request.province),
          request.params.ticketId,
          request.body.answer,
          clock(),
        );
        return { ticketId: t.ticketId, status: 'answered' as const };
      },
    );
  };
}
