/**
 * The hub's HTTP app, built without listening (tests call it with `inject`; src/cli/serve.command.ts listens).
 * It registers each route plugin with what that plugin uses, taken from the composed parts (src/app/compose.ts).
 */
import { createServer } from 'node:http';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Parts } from '../app/compose.ts';
import { authRoutes } from '../auth/auth.routes.ts';
import { codeRoutes } from '../code/code.routes.ts';
import { provinceNodeActor } from '../access/actor.ts';
import { consoleRoutes } from '../console/console.routes.ts';
import { correctionsRoutes } from '../corrections/corrections.routes.ts';
import { ownerCorrectionsRoutes } from '../corrections/owner-corrections.routes.ts';
import { declarationRoutes } from '../declaration/declaration.routes.ts';
import { requireHub, requireProvince } from '../federation/authenticate-peer.ts';
import { departmentActor, departmentOf } from '../feeds/department-auth.ts';
import { feedRoutes } from '../feeds/feeds.routes.ts';
import { healthInfoRoutes } from '../health-info/health-info.routes.ts';
import { linkedCodesRoutes } from '../linked-codes/linked-codes.routes.ts';
import { familyMount, familyRoutes } from '../family/family.routes.ts';
import { accessHistoryRoutes } from '../access/access-history.routes.ts';
import { lookupsRoutes } from '../lookups/lookups.routes.ts';
import { registrarRoutes } from '../registrars/registrar.routes.ts';
import { provinceApiRoutes } from '../province-api/province-api.routes.ts';
import { provinceHoldersRoutes } from '../province-api/province-holders.routes.ts';
import { nodeRoutes } from '../province-node/node.routes.ts';
import { provinceRoutes } from '../provinces/provinces.routes.ts';
import { regionsRoutes } from '../regions/regions.routes.ts';
import { trustListRoutes } from '../signing/trust-list.routes.ts';
import { nonRecognitionRoutes } from '../tickets/non-recognition.routes.ts';
import { verifyRoutes } from '../verification/verify.routes.ts';
import { webRoutes } from '../web/web.routes.ts';
import { ownMount, requireHolder } from './authenticate.ts';
import { probeDatabase } from '../db/database.ts';
import { installErrorHandler } from './error-handler.ts';
import { healthRoutes } from './health.routes.ts';
import { admissionGate, installOverloadProtection } from './overload.ts';
import { installApiHeaders } from './api-headers.ts';
import { installTransportSecurity, trustedProxies } from './transport-security.ts';
import { hardenRouteSchema, textKeywords } from './text-schemas.ts';
import { prometheusOf, prometheusRoutes } from './prometheus.routes.ts';
import { RefusalPacer } from './refusal-pacer.ts';
import { snapshotSignals } from './signals.ts';

export async function buildApp(parts: Parts): Promise<FastifyInstance> {
  const { config, clock, services: s, registry } = parts;
  // Admission at the server, before Fastify sees a request (src/http/overload.ts).
  const pacer = new RefusalPacer();
  const gate = admissionGate({
    admission: parts.admission,
    pacer,
    metrics: parts.metrics,
    retryAfterSeconds: config.busyRetryAfterSeconds,
    clock,
  });
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            // Never log credentials or cookies.
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          },
    bodyLimit: config.bodyLimitBytes,
    // Behind a reverse proxy listed in TRUST_PROXY: its X-Forwarded-For and -Proto (transport-security.ts).
    trustProxy: trustedProxies(config.trustProxy),
    // Connection limits (docs/operations.md#overload): headers must arrive within 30 s, a silent socket closes
    // after 2 minutes, an idle keep-alive connection after 72 s (longer than load balancers' usual 60 s, so that
    // they close first); at most MAX_CONNECTIONS open.
    serverFactory: (handler) => {
      const server = createServer((req, res) => {
        if (gate(req, res))
          parts.loop.defer(() => {
            handler(req, res);
          });
      });
      server.keepAliveTimeout = 72_000;
      server.headersTimeout = 30_000;
      server.setTimeout(120_000);
      server.maxConnections = config.maxConnections;
      return server;
    },
    // Strict JSON: no type coercion, unknown properties are errors (additionalProperties: false), not dropped.
    // The text rule's keywords (text-schemas.ts), put on every request schema by the onRoute hook below.
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true },
      plugins: [textKeywords],
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.addHook('onRoute', (route) => {
    if (route.schema) route.schema = hardenRouteSchema(route.schema);
  });

  const prometheus = prometheusOf({
    ...parts,
    pacer,
    lastBatchBySource: () => s.feedBatches.lastBySource(),
    purged: s.retention.totals,
  });
  installErrorHandler(app, {
    retryAfterSeconds: config.busyRetryAfterSeconds,
    onDatabaseFailure: prometheus.databaseFailure,
  });
  installOverloadProtection(app, gate);
  installApiHeaders(app);
  installTransportSecurity(app, config.hstsMaxAgeSeconds);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Yimatong (一码通) national hub API',
        version: '0.1.0',
        description:
          'Operation ids follow GB/T 38963-2020: declare / query / modify health information, apply for, make and verify the code.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'ymt_session' },
          provinceSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'x-ymt-signature',
            description:
              'ES256 request signature with x-ymt-caller, x-ymt-date, x-ymt-nonce (docs/federation.md)',
          },
        },
      },
    },
  });

  const holder = requireHolder(s.auth, clock);
  await app.register(
    healthRoutes({
      engine: parts.engine,
      role: parts.role,
      issuer: parts.issuer,
      ready: async () => ({ database: await probeDatabase(parts.raw) }),
      retryAfterSeconds: config.busyRetryAfterSeconds,
    }),
  );
  await app.register(
    authRoutes({
      auth: s.auth,
      clock,
      cookie: { secure: config.cookieSecure, maxAgeSeconds: config.sessionTtlSeconds },
      limits: parts.limits,
    }),
  );
  // The holder's own routes, mounted again on the hub for each family member they act for (src/family).
  const mounts = [ownMount(holder)];
  if (parts.node === undefined) mounts.push(familyMount(holder, s.family, clock));
  for (const mount of mounts) {
    await app.register(declarationRoutes({ declarations: s.declarations, mount, clock }));
    await app.register(codeRoutes({ codes: s.codes, mount, limits: parts.limits, clock }));
    await app.register(
      healthInfoRoutes({
        status: s.status,
        healthInfo: s.healthInfo,
        mount,
        clock,
        nationalAtNode: parts.node !== undefined,
      }),
    );
  }
  await app.register(
    verifyRoutes({
      trust: parts.trust,
      registry,
      hubIssuerId: config.hubIssuerId,
      clockSkewSeconds: config.clockSkewSeconds,
      clock,
      // The hub's own codes withdrawn after a correction; a node holds no record of the hub's codes.
      ...(parts.node === undefined
        ? { withdrawn: (codeId: string) => s.recordCorrections.codeWithdrawn(codeId) }
        : {}),
    }),
  );
  await app.register(trustListRoutes({ trust: parts.trust, clock }));
  await app.register(
    feedRoutes({
      ingest: s.ingest,
      batches: s.feedBatches,
      departments: s.departments,
      maxBytes: config.feedMaxBytes,
      clock,
    }),
  );
  await app.register(provinceRoutes({ registry }));
  await app.register(regionsRoutes());
  if (parts.node === undefined) {
    // The province API and the holder's cross-province functions live on the hub.
    const provinceAuth = requireProvince({
      accessKey: (code) => s.provinces.accessKey(code),
      nonces: parts.nonces,
      clock,
    });
    await app.register(
      provinceApiRoutes({
        provinceAuth,
        provinces: s.provinces,
        issuerKeys: s.issuerKeys,
        acceptanceRuleSets: s.acceptanceRuleSets,
        tickets: s.tickets,
        clock,
      }),
    );
    await app.register(
      provinceHoldersRoutes({
        provinceAuth,
        provinceHolders: s.provinceHolders,
        statusDeltas: s.statusDeltas,
        limits: parts.limits,
        clock,
      }),
    );
    await app.register(linkedCodesRoutes({ linkedCodes: s.linkedCodes, holder, clock }));
    await app.register(familyRoutes({ family: s.family, holder, limits: parts.limits, clock }));
    await app.register(accessHistoryRoutes({ history: s.accessHistory, holder }));
    const staffRoutes = { staff: s.staff, limits: parts.limits, clock };
    await app.register(registrarRoutes({ registrations: s.registrations, ...staffRoutes }));
    await app.register(lookupsRoutes({ lookups: s.lookups, ...staffRoutes }));
    await app.register(
      nonRecognitionRoutes({ tickets: s.tickets, registry, holder, limits: parts.limits, clock }),
    );
    // 我要纠错: the holder disputes, the owner decides — a department with its feed credential, a province through
    // the province API, anyone in the console (docs/corrections.md).
    await app.register(
      correctionsRoutes({ corrections: s.corrections, registry, holder, limits: parts.limits, clock }),
    );
    await app.register(
      ownerCorrectionsRoutes({
        corrections: s.corrections,
        registry,
        clock,
        prefix: '/api/v1/feeds/:source/corrections',
        params: { source: Type.String({ pattern: '^[a-z-]{1,32}$' }) },
        actorOf: async (request) =>
          departmentActor(
            await departmentOf(s.departments, request, (request.params as { source: string }).source),
          ),
        schema: { tags: ['feeds'], security: [{ bearer: [] }] },
        operation: 'department',
      }),
    );
    await app.register(async (scope) => {
      scope.addHook('preHandler', provinceAuth);
      await scope.register(
        ownerCorrectionsRoutes({
          corrections: s.corrections,
          registry,
          clock,
          prefix: '/api/v1/federation/corrections',
          actorOf: (request) => provinceNodeActor(request.province),
          schema: { tags: ['federation (province API)'], security: [{ provinceSignature: [] }] },
          operation: 'province',
        }),
      );
    });
    await app.register(
      consoleRoutes({
        accounts: s.consoleAccounts,
        areaRisk: s.areaRisk,
        acceptanceRuleSets: s.acceptanceRuleSets,
        statusRuleSets: s.statusRuleSets,
        statusEntries: s.statusEntries,
        provinces: s.provinces,
        issuerKeys: s.issuerKeys,
        keys: parts.keys,
        revision: () => s.trustInput.revision(),
        tickets: s.tickets,
        corrections: s.corrections,
        registry,
        batches: s.feedBatches,
        metrics: parts.metrics,
        signals: () => snapshotSignals(parts),
        clock,
      }),
    );
  } else {
    await app.register(
      nodeRoutes({
        hubAuth: requireHub({
          hubIssuerId: config.hubIssuerId,
          anchor: (now) => parts.trust.anchor(now),
          nonces: parts.nonces,
          clock,
        }),
        answers: parts.node.answers,
        national: parts.node.national,
        hub: parts.node.life.hub,
        clock,
      }),
    );
  }
  await app.register(prometheusRoutes({ registry: prometheus.registry, token: config.metricsToken }));
  await app.register(webRoutes());
  app.get(
    '/openapi.json',
    { schema: { hide: true, response: { 200: Type.Object({}, { additionalProperties: true }) } } },
    () => app.swagger(),
  );
  await app.ready();
  return app;
}
