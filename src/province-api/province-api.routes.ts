/**
 * The hub's province API (docs/federation.md#province-api): every route is called by a provincial node and
 * signed with its access key; each lets the province touch only its own part (the access matrix in
 * docs/federation.md#access-matrix).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../errors/app-error.ts';
import { ColourSchema, DocumentFields, ERROR_RESPONSES, HolderSummarySchema } from '../http/schemas.ts';
import { RealNameBody } from '../auth/auth.routes.ts';
import { parseDocument } from '../identity/document.domain.ts';
import { realNameOrThrow } from '../identity/real-name.ts';
import { loadAcceptanceRuleSet } from '../recognition/acceptance-rule-set.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { requireProvince } from '../federation/authenticate-peer.ts';
import { checkKeyCertificate } from '../federation/key-certificate.ts';
import type { StatusDelta } from './holders.repository.ts';
import { holderSummary } from '../status/holder-summary.ts';

const Delta = Type.Object(
  {
    id: Type.Integer({ minimum: 1, description: "The node's outbox id; increasing" }),
    ...DocumentFields,
    colour: ColourSchema,
    reasonCode: Type.String({ minLength: 1, maxLength: 64 }),
    reasonText: Type.String({ maxLength: 500 }),
    reasonTextEn: Type.String({ maxLength: 500 }),
    changedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

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

export function federationRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', requireProvince(ctx));
    const common = { tags: ['federation (province API)'], security: [{ provinceSignature: [] }] };
    const Ok = Type.Object({ ok: Type.Literal(true) });

    app.put(
      '/api/v1/federation/node',
      {
        schema: {
          ...common,
          operationId: 'registerNode',
          summary: 'Where the province node listens (the hub calls it for linked codes)',
          body: Type.Object(
            { url: Type.String({ pattern: '^https?://', maxLength: 300 }) },
            { additionalProperties: false },
          ),
          response: { 200: Ok, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        await ctx.federation.setNodeUrl(request.province, request.body.url, ctx.clock().getTime());
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
        const now = ctx.clock();
        const province = await ctx.federation.province(request.province);
        if (!province) throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
        const check = checkKeyCertificate(
          request.body.certificate,
          { iss: request.province, root: province.rootJwk, rootKid: province.rootKid },
          now.getTime(),
        );
        if (!check.ok) {
          request.log.warn({ province: request.province, problem: check.problem }, 'key certificate refused');
          throw new AppError('YMT_ERR_KEY_CERTIFICATE_INVALID', [
            {
              field: 'certificate',
              code: 'YMT_ERR_KEY_CERTIFICATE_INVALID',
              message: check.problem,
              messageEn: check.problem,
            },
          ]);
        }
        // The hub's own kids (and its anchor's) are taken.
        const ring = ctx.keys.current(now.getTime());
        const reserved = new Set([...ring.keys.map((k) => k.kid), ring.anchor.kid]);
        const { changed } = await ctx.federation.addKey(check.certificate, check, reserved, now.getTime());
        return { kid: check.certificate.kid, changed };
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
        keys: (await ctx.federation.keysOf(request.province)).map((k) => ({
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
        const key = await ctx.federation.key(request.params.kid);
        // Another province's key is as good as unknown to this one.
        if (key?.iss !== request.province) throw new AppError('YMT_ERR_NOT_FOUND');
        const { changed } = await ctx.federation.revokeKey(
          key.kid,
          request.body.reason,
          ctx.clock().getTime(),
        );
        return { kid: key.kid, changed };
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
        const doc = request.body.ruleSet;
        const loaded = loadAcceptanceRuleSet(doc);
        if (!loaded.ok) {
          throw new AppError(
            'YMT_ERR_RULE_SET_INVALID',
            loaded.problems.map((p) => ({
              field: p.path,
              code: 'YMT_ERR_RULE_SET_INVALID',
              message: p.message,
              messageEn: p.message,
            })),
          );
        }
        const set = loaded.ruleSet;
        // A province publishes for its own checkpoints only, and cannot take over another's rule set id.
        const owner = await ctx.federation.ruleSetProvince(set.id);
        if (set.province !== request.province || (owner !== undefined && owner !== request.province))
          throw new AppError('YMT_ERR_PROVINCE_FORBIDDEN');
        const { created } = await ctx.federation.publishRuleSet(
          { id: set.id, version: set.version, province: request.province, validFrom: set.validFrom },
          doc as Record<string, unknown>,
          ctx.clock().getTime(),
        );
        return { id: set.id, version: set.version, created };
      },
    );

    app.post(
      '/api/v1/federation/identities/verify',
      {
        schema: {
          ...common,
          operationId: 'verifyIdentity',
          summary:
            'Real-name check for a holder signing in at the node (national unified identity authentication)',
          body: RealNameBody,
          response: {
            200: Type.Object({
              match: Type.Boolean(),
              phone: Type.Optional(
                Type.String({ description: 'The real-name record’s phone, which the declaration carries' }),
              ),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const now = ctx.clock();
        const { doc, name } = realNameOrThrow(request.body, now);
        const personId = await ctx.identities.authenticate(doc, name);
        if (personId === undefined) return { match: false };
        // From now on this holder is the province's: it may push their status.
        await ctx.holders.recordHolder(request.province, ctx.persons.documentHash(doc), now.getTime());
        const phone = (await ctx.persons.get(personId))?.phone;
        return { match: true, ...(phone === undefined ? {} : { phone }) };
      },
    );

    app.post(
      '/api/v1/federation/status-deltas',
      {
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
            200: Type.Object({
              received: Type.Integer(),
              applied: Type.Integer(),
              rejected: Type.Array(
                Type.Object({ id: Type.Integer(), code: Type.String(), message: Type.String() }),
              ),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const now = ctx.clock();
        const rejected: { id: number; code: string; message: string }[] = [];
        const parsed: StatusDelta[] = [];
        for (const d of request.body.deltas) {
          const doc = parseDocument(d.documentType, d.documentNumber, d.nationality, shanghaiDate(now));
          if (!doc.ok) {
            rejected.push({ id: d.id, code: doc.code, message: 'bad document' });
            continue;
          }
          parsed.push({
            id: d.id,
            docHash: ctx.persons.documentHash(doc.value),
            colour: d.colour,
            reasonCode: d.reasonCode,
            reasonText: d.reasonText,
            reasonTextEn: d.reasonTextEn,
            changedAt: Date.parse(d.changedAt),
          });
        }
        const own = await ctx.holders.holdersOf(
          request.province,
          parsed.map((d) => d.docHash),
        );
        const allowed = parsed.filter((d) => own.has(d.docHash));
        for (const d of parsed.filter((x) => !own.has(x.docHash)))
          rejected.push({
            id: d.id,
            code: 'YMT_ERR_PROVINCE_FORBIDDEN',
            message: 'not a holder of this province',
          });
        const changed = await ctx.holders.applyDeltas(request.province, allowed, now.getTime());
        if (changed.length > 0) await ctx.status.invalidate(changed);
        return { received: request.body.deltas.length, applied: changed.length, rejected };
      },
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
      async (request) => {
        const now = ctx.clock();
        const personId = await ctx.holders.consent(
          request.body.consentToken,
          request.province,
          now.getTime(),
        );
        if (personId === undefined) throw new AppError('YMT_ERR_CONSENT_INVALID');
        return holderSummary(ctx, personId, now);
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
          await ctx.tickets.ofProvince<Record<string, unknown>>(request.province, request.query.status)
        ).map((t) => ({
          ticketId: t.ticketId,
          province: t.province,
          region: t.region,
          status: t.status,
          answer: t.answer,
          createdAt: new Date(t.createdAt).toISOString(),
          updatedAt: new Date(t.updatedAt).toISOString(),
          details: t.details,
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
            { answer: Type.String({ minLength: 1, maxLength: 2000 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ ticketId: Type.String(), status: Type.Literal('answered') }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const t = await ctx.tickets.answer(
          request.province,
          request.params.ticketId,
          request.body.answer,
          ctx.clock().getTime(),
        );
        if (!t) throw new AppError('YMT_ERR_TICKET_NOT_FOUND');
        return { ticketId: t.ticketId, status: 'answered' as const };
      },
    );
  };
}
