/**
 * The operations console's API (docs/api.md#operations-console), on the hub, under `/api/v1/console`. Three
 * roles sign in with `Authorization: Bearer`: operators and provincial authorities with a console account
 * (`ymto_…`, `yimatong operators add`), departments with their feed credential (`ymtd_…`). Each route belongs
 * to a section; a role opens only its sections (console-access.ts), and inside one sees only its part. The
 * credential is checked before the body is read: 401 YMT_ERR_CONSOLE_UNAUTHENTICATED, 403
 * YMT_ERR_CONSOLE_FORBIDDEN. Personal data leaves masked: quarantined records, what holders wrote in reports.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../errors/app-error.ts';
import { ERRORS, isErrorCode } from '../errors/registry.ts';
import { FEED_SOURCES, type FeedSource, type RISK_LEVELS } from '../feeds/feed-records.domain.ts';
import { ERROR_RESPONSES } from '../http/schemas.ts';
import { scrubText, maskRecordText } from '../privacy/record-masking.ts';
import { regionName } from '../regions/regions.ts';
import type { Ticket } from '../tickets/tickets.repository.ts';
import {
  batchScope,
  maySee,
  SECTIONS_OF,
  seesBatch,
  seesProvince,
  type ConsoleSection,
  type ConsoleUser,
} from './console-access.ts';
import { CONSOLE_TOKEN_PREFIX, ConsoleAccountsRepository } from './console-accounts.repository.ts';
import { ConsoleRepository, type BatchRow } from './console.repository.ts';
import { ConsoleService, type RuleSetView } from './console.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    consoleUser: ConsoleUser;
  }
  interface FastifyContextConfig {
    /** The console section a route belongs to (none: every signed-in role). */
    consoleSection?: ConsoleSection;
    /** Inside its section, for operators only. */
    operatorOnly?: boolean;
  }
}

const CREDENTIAL = /^Bearer\s+(ymt[od]_[A-Za-z0-9_-]{20,100})$/i;
const DEPARTMENT_TOKEN_PREFIX = 'ymtd_';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

async function signIn(
  ctx: AppContext,
  accounts: ConsoleAccountsRepository,
  request: FastifyRequest,
): Promise<ConsoleUser> {
  const token = CREDENTIAL.exec(request.headers.authorization ?? '')?.[1];
  if (token?.startsWith(CONSOLE_TOKEN_PREFIX)) {
    const a = await accounts.byToken(token);
    if (a?.role === 'operator') return { role: 'operator', name: a.name, accountId: a.accountId };
    if (a?.role === 'province' && a.province !== null)
      return { role: 'province', name: a.name, accountId: a.accountId, province: a.province };
  } else if (token?.startsWith(DEPARTMENT_TOKEN_PREFIX)) {
    const d = await ctx.departments.byToken(token);
    if (d)
      return {
        role: 'department',
        name: d.name,
        departmentId: d.departmentId,
        source: d.source,
        province: d.province,
      };
  }
  throw new AppError('YMT_ERR_CONSOLE_UNAUTHENTICATED');
}

const forbidden = (): AppError => new AppError('YMT_ERR_CONSOLE_FORBIDDEN');

const Iso = Type.String({ format: 'date-time' });
const IsoOrNull = Type.Union([Iso, Type.Null()]);
const Source = Type.Union(FEED_SOURCES.map((s) => Type.Literal(s)));
const Level = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]);
const Section = Type.Union([
  Type.Literal('area-risk'),
  Type.Literal('rule-sets'),
  Type.Literal('provinces'),
  Type.Literal('trust-list'),
  Type.Literal('reports'),
  Type.Literal('batches'),
  Type.Literal('capacity'),
]);
const BatchId = Type.String({ pattern: '^[A-Za-z0-9._-]{1,128}$' });
const ProvinceCode = Type.String({ pattern: '^[0-9]{6}$' });
const RuleSetDocument = Type.Object(
  {},
  { additionalProperties: true, description: 'An acceptance rule set' },
);
const Problem = Type.Object({ path: Type.String(), message: Type.String() });
/** A count in a query string: 1 to 500, 1 to 1000. */
const UP_TO_500 = '^([1-9][0-9]?|[1-4][0-9]{2}|500)$';
const UP_TO_1000 = '^([1-9][0-9]{0,2}|1000)$';

const AreaRiskSchema = Type.Object({
  areaCode: Type.String(),
  areaName: Type.String(),
  level: Level,
  validFrom: Iso,
  validTo: Iso,
  authority: Type.String(),
  batchId: Type.String(),
  line: Type.Integer({ description: "The entry's line in its batch (with batchId, what ends it)" }),
  inForce: Type.Boolean(),
  ended: Type.Union([Type.Object({ by: Type.String(), reason: Type.String() }), Type.Null()], {
    description: 'An operator ended it early: validTo is that end',
  }),
});

const RuleSetSchema = Type.Object({
  id: Type.String(),
  version: Type.String(),
  province: Type.Union([Type.String(), Type.Null()], { description: 'null: the national rule set' }),
  validFrom: Iso,
  publishedAt: IsoOrNull,
  inForce: Type.Boolean(),
  shipped: Type.Boolean(),
});

const ProvinceSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  enrolled: Type.Boolean(),
  nodeUrl: Type.Union([Type.String(), Type.Null()]),
  keys: Type.Array(
    Type.Object({
      kid: Type.String(),
      notBefore: Iso,
      notAfter: Iso,
      revoked: Type.Boolean(),
      revokedReason: Type.Optional(Type.String()),
    }),
  ),
  lastStatusPush: IsoOrNull,
});

const ReportSchema = Type.Object({
  ticketId: Type.String(),
  kind: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('answered')]),
  province: Type.String(),
  provinceName: Type.String(),
  region: Type.String(),
  regionName: Type.Union([Type.String(), Type.Null()]),
  at: Type.String({ description: 'When the checkpoint refused the code (as the holder reported it)' }),
  checkpointId: Type.String(),
  issuer: Type.String(),
  description: Type.Optional(Type.String({ description: 'What the holder wrote, masked' })),
  answer: Type.Union([Type.String(), Type.Null()]),
  createdAt: Iso,
  updatedAt: Iso,
});

const BatchSchema = Type.Object({
  source: Type.String(),
  batchId: Type.String(),
  province: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer(),
  accepted: Type.Integer(),
  quarantined: Type.Integer(),
  receivedAt: Iso,
  committedAt: Iso,
  processedAt: IsoOrNull,
  status: Type.Union([Type.Literal('processed'), Type.Literal('processing')], {
    description: 'processing: published, its exposures and status updates not yet done',
  }),
});

const MetricsSchema = Type.Object({
  inFlight: Type.Integer(),
  limit: Type.Integer(),
  since: Iso,
  minutes: Type.Array(
    Type.Object({
      minute: Iso,
      requests: Type.Integer(),
      status: Type.Object({
        '2xx': Type.Integer(),
        '3xx': Type.Integer(),
        '4xx': Type.Integer(),
        '5xx': Type.Integer(),
      }),
      busy: Type.Integer(),
      p50Ms: Type.Union([Type.Number(), Type.Null()]),
      p99Ms: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
});

interface NonRecognition {
  readonly at: string;
  readonly checkpointId: string;
  readonly issuer: string;
  readonly description?: string;
}

function batchView(b: BatchRow) {
  return {
    source: b.source,
    batchId: b.batch_id,
    province: b.province,
    total: b.total,
    accepted: b.accepted,
    quarantined: b.rejected,
    receivedAt: iso(b.received_at),
    committedAt: iso(b.committed_at),
    processedAt: isoOrNull(b.processed_at),
    status: b.processed_at === null ? ('processing' as const) : ('processed' as const),
  };
}

function ruleSetView(v: RuleSetView) {
  return { ...v, validFrom: iso(v.validFrom), publishedAt: isoOrNull(v.publishedAt) };
}

export function consoleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const accounts = new ConsoleAccountsRepository(ctx.db);
  const repo = new ConsoleRepository(ctx.db);
  const service = new ConsoleService(ctx, repo);
  const reportView = (t: Ticket<NonRecognition>) => ({
    ticketId: t.ticketId,
    kind: t.kind,
    status: t.status,
    province: t.province,
    provinceName: ctx.provinces.get(t.province)?.name ?? t.province,
    region: t.region,
    regionName: regionName(t.region) ?? null,
    at: t.details.at,
    checkpointId: t.details.checkpointId,
    issuer: t.details.issuer,
    ...(t.details.description === undefined ? {} : { description: scrubText(t.details.description, false) }),
    answer: t.answer,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  });

  return async (app) => {
    // Before the body is parsed: who it is, and whether its role opens this route's section.
    app.addHook('onRequest', async (request) => {
      request.consoleUser = await signIn(ctx, accounts, request);
      const { consoleSection, operatorOnly } = request.routeOptions.config;
      if (consoleSection !== undefined && !maySee(request.consoleUser, consoleSection)) throw forbidden();
      if (operatorOnly === true && request.consoleUser.role !== 'operator') throw forbidden();
    });
    const common = { tags: ['console'], security: [{ bearer: [] }] };
    const section = (s: ConsoleSection, operatorOnly = false) => ({ consoleSection: s, operatorOnly });

    app.get(
      '/api/v1/console/me',
      {
        schema: {
          ...common,
          operationId: 'consoleMe',
          summary: 'Who is signed in to the console, and the sections their role sees',
          response: {
            200: Type.Object({
              role: Type.Union([
                Type.Literal('operator'),
                Type.Literal('province'),
                Type.Literal('department'),
              ]),
              name: Type.String(),
              province: Type.Optional(Type.String()),
              source: Type.Optional(Type.String()),
              may: Type.Array(Section),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => {
        const u = request.consoleUser;
        return {
          role: u.role,
          name: u.name,
          ...(u.role === 'operator' || u.province === null ? {} : { province: u.province }),
          ...(u.role === 'department' ? { source: u.source } : {}),
          may: [...SECTIONS_OF[u.role]],
        };
      },
    );

    app.get(
      '/api/v1/console/area-risk',
      {
        config: section('area-risk'),
        schema: {
          ...common,
          operationId: 'consoleListAreaRisk',
          summary: 'Area risk levels in force now or still to come',
          response: { 200: Type.Object({ areas: Type.Array(AreaRiskSchema) }), ...ERROR_RESPONSES },
        },
      },
      async () => {
        const now = ctx.clock().getTime();
        return {
          areas: (await repo.areaRisk(now)).map((a) => ({
            areaCode: a.areaCode,
            areaName: regionName(a.areaCode) ?? a.areaCode,
            level: a.level as (typeof RISK_LEVELS)[number],
            validFrom: iso(a.validFrom),
            validTo: iso(a.validTo),
            authority: a.authority,
            batchId: a.batchId,
            line: a.line,
            inForce: a.validFrom <= now,
            ended: a.ended,
          })),
        };
      },
    );

    app.post(
      '/api/v1/console/area-risk',
      {
        config: section('area-risk'),
        schema: {
          ...common,
          operationId: 'consoleSetAreaRisk',
          summary:
            "Set an area's risk level for a period (one area-risk batch through the feed ingestion: statuses follow)",
          body: Type.Object(
            {
              areaCode: Type.String({ minLength: 1, maxLength: 12, description: 'GB/T 2260 code' }),
              level: Level,
              validFrom: Type.String({ maxLength: 40, description: 'ISO 8601 with a zone' }),
              validTo: Type.String({ maxLength: 40, description: 'ISO 8601 with a zone, after validFrom' }),
              authority: Type.Optional(
                Type.String({ minLength: 1, maxLength: 100, description: "Default: the account's name" }),
              ),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ batchId: Type.String(), accepted: Type.Integer() }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.setAreaRisk(request.body, request.consoleUser.name, ctx.clock())),
    );

    app.post(
      '/api/v1/console/area-risk/:batchId/:line/end',
      {
        config: section('area-risk'),
        schema: {
          ...common,
          operationId: 'consoleEndAreaRisk',
          summary:
            'End an area risk entry early, or withdraw it (end it at its start); the entry stays as published, statuses follow',
          params: Type.Object({ batchId: BatchId, line: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) }),
          body: Type.Object(
            {
              endsAt: Type.Optional(
                Type.String({
                  maxLength: 40,
                  description: 'ISO 8601 with a zone; default now; at or before the start withdraws',
                }),
              ),
              reason: Type.String({ minLength: 1, maxLength: 200 }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              batchId: Type.String(),
              line: Type.Integer(),
              endsAt: Iso,
              withdrawn: Type.Boolean(),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const ended = await service.endAreaRisk(
          { ...request.body, batchId: request.params.batchId, line: Number(request.params.line) },
          request.consoleUser.name,
          ctx.clock(),
        );
        return { ...ended, endsAt: iso(ended.endsAt) };
      },
    );

    app.get(
      '/api/v1/console/rule-sets',
      {
        config: section('rule-sets'),
        schema: {
          ...common,
          operationId: 'consoleListRuleSets',
          summary: 'Acceptance rule sets, shipped and published, each saying whether it is the one in force',
          response: { 200: Type.Object({ ruleSets: Type.Array(RuleSetSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        ruleSets: (await service.ruleSets(request.consoleUser, ctx.clock())).map(ruleSetView),
      }),
    );

    app.post(
      '/api/v1/console/rule-sets/validate',
      {
        config: section('rule-sets'),
        schema: {
          ...common,
          operationId: 'consoleValidateRuleSet',
          summary: 'Check an acceptance rule set as publication would, without publishing it',
          body: Type.Object({ document: RuleSetDocument }, { additionalProperties: false }),
          response: {
            200: Type.Object({ ok: Type.Boolean(), problems: Type.Array(Problem) }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const check = await service.checkPublication(request.consoleUser, request.body.document);
        return check.ok ? { ok: true, problems: [] } : { ok: false, problems: check.problems };
      },
    );

    app.post(
      '/api/v1/console/rule-sets',
      {
        config: section('rule-sets'),
        schema: {
          ...common,
          operationId: 'consolePublishRuleSet',
          summary: 'Publish an acceptance rule set; it takes effect at its validFrom',
          body: Type.Object({ document: RuleSetDocument }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              id: Type.String(),
              version: Type.String(),
              province: Type.Union([Type.String(), Type.Null()]),
              validFrom: Iso,
              inForce: Type.Boolean(),
              created: Type.Boolean(),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const now = ctx.clock();
        const document = request.body.document as Record<string, unknown>;
        const { ruleSet, created } = await service.publish(request.consoleUser, document, now);
        return {
          id: ruleSet.id,
          version: ruleSet.version,
          province: ruleSet.province,
          validFrom: iso(ruleSet.validFrom),
          inForce: ruleSet.validFrom <= now.getTime(),
          created,
        };
      },
    );

    const StatusRuleSetSchema = Type.Object({
      id: Type.String(),
      version: Type.String(),
      validFrom: Iso,
      publishedAt: IsoOrNull,
      publishedBy: Type.Union([Type.String(), Type.Null()]),
      shipped: Type.Boolean(),
      inForce: Type.Boolean(),
    });

    app.get(
      '/api/v1/console/status-rule-sets',
      {
        config: section('rule-sets', true),
        schema: {
          ...common,
          operationId: 'consoleListStatusRuleSets',
          summary:
            'Status rule sets (the baseline and published versions), each saying whether it decides now',
          response: { 200: Type.Object({ ruleSets: Type.Array(StatusRuleSetSchema) }), ...ERROR_RESPONSES },
        },
      },
      async () => ({
        ruleSets: (await service.statusRuleSets(ctx.clock())).map((v) => ({
          ...v,
          validFrom: iso(v.validFrom),
          publishedAt: isoOrNull(v.publishedAt),
        })),
      }),
    );

    app.post(
      '/api/v1/console/status-rule-sets/validate',
      {
        config: section('rule-sets', true),
        schema: {
          ...common,
          operationId: 'consoleValidateStatusRuleSet',
          summary: 'Check a status rule set as publication would, without publishing it',
          body: Type.Object({ document: RuleSetDocument }, { additionalProperties: false }),
          response: {
            200: Type.Object({ ok: Type.Boolean(), problems: Type.Array(Problem) }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const check = await service.checkStatusPublication(request.body.document);
        return check.ok ? { ok: true, problems: [] } : { ok: false, problems: check.problems };
      },
    );

    app.post(
      '/api/v1/console/status-rule-sets',
      {
        config: section('rule-sets', true),
        schema: {
          ...common,
          operationId: 'consolePublishStatusRuleSet',
          summary: 'Publish a status rule set; it decides colours from its validFrom',
          body: Type.Object({ document: RuleSetDocument }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              id: Type.String(),
              version: Type.String(),
              validFrom: Iso,
              inForce: Type.Boolean(),
              created: Type.Boolean(),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const now = ctx.clock();
        const document = request.body.document as Record<string, unknown>;
        const { ruleSet, created } = await service.publishStatus(request.consoleUser, document, now);
        const inForce = await ctx.statusRules.inForce(now);
        return {
          id: ruleSet.id,
          version: ruleSet.version,
          validFrom: iso(ruleSet.validFrom),
          inForce: inForce.id === ruleSet.id && inForce.version === ruleSet.version,
          created,
        };
      },
    );

    app.get(
      '/api/v1/console/provinces',
      {
        config: section('provinces'),
        schema: {
          ...common,
          operationId: 'consoleListProvinces',
          summary: 'Provincial units with their enrolment, node, keys and last status push',
          response: { 200: Type.Object({ provinces: Type.Array(ProvinceSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        provinces: (await service.provinces(request.consoleUser)).map((p) => ({
          ...p,
          keys: p.keys.map((k) => ({
            kid: k.kid,
            notBefore: iso(k.notBefore),
            notAfter: iso(k.notAfter),
            revoked: k.revoked,
            ...(k.revokedReason === null ? {} : { revokedReason: k.revokedReason }),
          })),
          lastStatusPush: isoOrNull(p.lastStatusPush),
        })),
      }),
    );

    app.post(
      '/api/v1/console/provinces/:code/keys/:kid/revoke',
      {
        config: section('provinces', true),
        schema: {
          ...common,
          operationId: 'consoleRevokeProvinceKey',
          summary: "Emergency revocation of a province's signing key (as `yimatong provinces revoke-key`)",
          params: Type.Object({ code: ProvinceCode, kid: Type.String({ pattern: '^[A-Za-z0-9_-]{11}$' }) }),
          body: Type.Object(
            { reason: Type.String({ minLength: 1, maxLength: 500 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ kid: Type.String(), province: Type.String(), changed: Type.Boolean() }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const { code, kid } = request.params;
        if (!ctx.provinces.get(code)) throw new AppError('YMT_ERR_PROVINCE_UNKNOWN');
        const key = await ctx.federation.key(kid);
        if (key?.iss !== code) throw new AppError('YMT_ERR_NOT_FOUND');
        const { changed } = await ctx.federation.revokeKey(kid, request.body.reason, ctx.clock().getTime());
        return { kid, province: code, changed };
      },
    );

    app.get(
      '/api/v1/console/trust-list',
      {
        config: section('trust-list'),
        schema: {
          ...common,
          operationId: 'consoleTrustList',
          summary: "The hub's current trust list, summarised",
          response: {
            200: Type.Object({
              version: Type.Integer(),
              generation: Type.Integer({ description: "The hub's own key generation" }),
              revision: Type.Integer({ description: "The federation's revision" }),
              issuedAt: Iso,
              expiresAt: Iso,
              issuers: Type.Array(
                Type.Object({ iss: Type.String(), name: Type.String(), nameEn: Type.String() }),
              ),
              keys: Type.Array(
                Type.Object({
                  kid: Type.String(),
                  iss: Type.String(),
                  notBefore: Iso,
                  notAfter: Type.Optional(Iso),
                }),
              ),
              revokedKeys: Type.Array(
                Type.Object({ kid: Type.String(), iss: Type.String(), revokedAt: Iso }),
              ),
              anchorKid: Type.String(),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async () => {
        const now = ctx.clock();
        const { doc } = await ctx.keys.trustList(now);
        const ring = ctx.keys.current(now.getTime());
        return {
          version: doc.version,
          generation: ring.generation,
          revision: await ctx.federation.revision(),
          issuedAt: doc.issuedAt,
          expiresAt: doc.expiresAt,
          issuers: doc.issuers,
          keys: doc.keys.map((k) => ({
            kid: k.kid,
            iss: k.iss,
            notBefore: k.notBefore,
            ...(k.notAfter === undefined ? {} : { notAfter: k.notAfter }),
          })),
          revokedKeys: doc.revoked ?? [],
          anchorKid: ring.anchor.kid,
        };
      },
    );

    app.get(
      '/api/v1/console/reports',
      {
        config: section('reports'),
        schema: {
          ...common,
          operationId: 'consoleListReports',
          summary: 'Non-recognition reports: every province’s (operator) or the province’s own',
          querystring: Type.Object(
            { status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('answered')])) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ reports: Type.Array(ReportSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const u = request.consoleUser;
        const { status } = request.query;
        const tickets =
          u.role === 'province'
            ? await ctx.tickets.ofProvince<NonRecognition>(u.province, status)
            : await ctx.tickets.all<NonRecognition>(status);
        return { reports: tickets.map(reportView) };
      },
    );

    app.post(
      '/api/v1/console/reports/:ticketId/answer',
      {
        config: section('reports'),
        schema: {
          ...common,
          operationId: 'consoleAnswerReport',
          summary: 'Answer a non-recognition report (a province only its own)',
          params: Type.Object({ ticketId: Type.String({ format: 'uuid' }) }),
          body: Type.Object(
            { answer: Type.String({ minLength: 1, maxLength: 2000 }) },
            { additionalProperties: false },
          ),
          response: { 200: ReportSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const ticket = await ctx.tickets.get<NonRecognition>(request.params.ticketId);
        if (!ticket) throw new AppError('YMT_ERR_TICKET_NOT_FOUND');
        if (!seesProvince(request.consoleUser, ticket.province)) throw forbidden();
        const answered = await ctx.tickets.answer<NonRecognition>(
          ticket.province,
          ticket.ticketId,
          request.body.answer,
          ctx.clock().getTime(),
        );
        if (!answered) throw new AppError('YMT_ERR_TICKET_NOT_FOUND');
        return reportView(answered);
      },
    );

    app.get(
      '/api/v1/console/batches',
      {
        config: section('batches'),
        schema: {
          ...common,
          operationId: 'consoleListBatches',
          summary: 'Published feed batches, newest first (a department its own source’s, a province its own)',
          querystring: Type.Object(
            {
              source: Type.Optional(Source),
              limit: Type.Optional(Type.String({ pattern: UP_TO_500, description: '1–500, default 50' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ batches: Type.Array(BatchSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const limit = Number(request.query.limit ?? 50);
        const scope = batchScope(request.consoleUser, request.query.source);
        if (scope === 'forbidden') throw forbidden();
        return { batches: (await repo.batches(scope, limit)).map(batchView) };
      },
    );

    app.get(
      '/api/v1/console/batches/:source/:batchId/quarantine',
      {
        config: section('batches'),
        schema: {
          ...common,
          operationId: 'consoleBatchQuarantine',
          summary: "A batch's quarantined records with line and reason, personal data masked",
          params: Type.Object({ source: Source, batchId: BatchId }),
          querystring: Type.Object(
            {
              afterLine: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', description: 'Default 0' })),
              limit: Type.Optional(Type.String({ pattern: UP_TO_1000, description: '1–1000, default 100' })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              source: Type.String(),
              batchId: Type.String(),
              quarantined: Type.Integer({ description: 'All the batch’s quarantined records' }),
              records: Type.Array(
                Type.Object({
                  line: Type.Integer(),
                  code: Type.String(),
                  field: Type.String(),
                  reason: Type.String(),
                  reasonEn: Type.String(),
                  record: Type.String({ description: 'The record as sent, personal data masked' }),
                }),
              ),
              nextAfterLine: Type.Union([Type.Integer(), Type.Null()], {
                description: 'Pass as afterLine for the next page; null on the last',
              }),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const { source, batchId } = request.params;
        const limit = Number(request.query.limit ?? 100);
        const batch = await repo.batch(source, batchId);
        if (!batch) throw new AppError('YMT_ERR_FEED_BATCH_NOT_FOUND');
        if (!seesBatch(request.consoleUser, batch)) throw forbidden();
        const afterLine = Number(request.query.afterLine ?? 0);
        const records = await ctx.feeds.quarantined(source, batchId, { afterLine, limit: limit + 1 });
        const page = records.slice(0, limit);
        return {
          source,
          batchId,
          quarantined: batch.rejected,
          records: page.map((r) => {
            const def = isErrorCode(r.code) ? ERRORS[r.code] : undefined;
            return {
              line: r.line,
              code: r.code,
              field: r.field,
              reason: def?.message ?? r.code,
              reasonEn: def?.messageEn ?? r.code,
              record: maskRecordText(r.record),
            };
          }),
          nextAfterLine: records.length > limit ? (page[page.length - 1]?.line ?? null) : null,
        };
      },
    );

    app.get(
      '/api/v1/console/capacity',
      {
        config: section('capacity'),
        schema: {
          ...common,
          operationId: 'consoleCapacity',
          summary: "This hub process's requests over the last hour, and how long since each feed last sent",
          response: {
            200: Type.Object({
              requests: MetricsSchema,
              feedLag: Type.Array(
                Type.Object({
                  source: Type.String(),
                  lastBatchAt: IsoOrNull,
                  lagSeconds: Type.Union([Type.Integer(), Type.Null()]),
                }),
              ),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async () => {
        const now = ctx.clock();
        const last = await repo.lastBatchBySource();
        const requests = ctx.metrics.snapshot(now);
        return {
          requests: { ...requests, minutes: [...requests.minutes] },
          feedLag: FEED_SOURCES.map((source: FeedSource) => {
            const at = last.get(source);
            return {
              source,
              lastBatchAt: at === undefined ? null : iso(at),
              lagSeconds: at === undefined ? null : Math.max(0, Math.floor((now.getTime() - at) / 1000)),
            };
          }),
        };
      },
    );
  };
}
