/**
 * The operations console's API (docs/api.md#operations-console), on the hub, under `/api/v1/console`. Three
 * roles sign in with `Authorization: Bearer`: operators and provincial authorities with a console account
 * (`ymto_…`, `yimatong operators add`), departments with their feed credential (`ymtd_…`). Each route belongs
 * to a section (sections/*.routes.ts); a role opens only its sections (console-access.ts), and inside one sees
 * only its part, as the shared services decide. The credential is checked before the body is read: 401
 * YMT_ERR_CONSOLE_UNAUTHENTICATED, 403 YMT_ERR_CONSOLE_FORBIDDEN. Personal data leaves masked.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { AreaRiskService } from '../area-risk/area-risk.service.ts';
import { AppError } from '../errors/app-error.ts';
import type { FeedBatchesService } from '../feeds/feed-batches.service.ts';
import type { RequestMetrics } from '../http/metrics.ts';
import type { Signals } from '../http/signals.ts';
import { ERROR_RESPONSES } from '../http/schemas.ts';
import type { IssuerKeysService } from '../province-api/issuer-keys.service.ts';
import type { ProvincesService } from '../province-api/provinces.service.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { AcceptanceRuleSetsService } from '../recognition/acceptance-rule-sets.service.ts';
import type { StatusRuleSetsService } from '../risk/status-rule-sets.service.ts';
import type { StatusEntriesService } from '../status/status-entries.service.ts';
import type { KeyringCache } from '../signing/trust-list.service.ts';
import type { TicketsService } from '../tickets/tickets.service.ts';
import type { Clock } from '../time/clock.ts';
import type { CorrectionsService } from '../corrections/corrections.service.ts';
import { ownerCorrectionsRoutes } from '../corrections/owner-corrections.routes.ts';
import { maySee, SECTIONS_OF } from './console-access.ts';
import type { ConsoleAccountsService } from './console-accounts.service.ts';
import { COMMON, section } from './console.schemas.ts';
import { areaRiskSection } from './sections/area-risk.routes.ts';
import { batchesSection } from './sections/batches.routes.ts';
import { capacitySection } from './sections/capacity.routes.ts';
import { provincesSection } from './sections/provinces.routes.ts';
import { reportsSection } from './sections/reports.routes.ts';
import { ruleSetsSection } from './sections/rule-sets.routes.ts';
import { statusEntriesSection } from './sections/status-entries.routes.ts';
import { trustListSection } from './sections/trust-list.routes.ts';

export interface ConsoleDeps {
  readonly accounts: ConsoleAccountsService;
  readonly areaRisk: AreaRiskService;
  readonly acceptanceRuleSets: AcceptanceRuleSetsService;
  readonly statusRuleSets: StatusRuleSetsService;
  readonly statusEntries: StatusEntriesService;
  readonly provinces: ProvincesService;
  readonly issuerKeys: IssuerKeysService;
  readonly keys: KeyringCache;
  readonly revision: () => Promise<number>;
  readonly tickets: TicketsService;
  readonly corrections: CorrectionsService;
  readonly registry: ProvinceRegistry;
  readonly batches: FeedBatchesService;
  readonly metrics: RequestMetrics;
  /** The operator's signals (src/http/signals.ts), for the capacity section. */
  readonly signals: () => Promise<Signals>;
  readonly clock: Clock;
}

const Me = Type.Object({
  role: Type.Union([Type.Literal('operator'), Type.Literal('province'), Type.Literal('department')]),
  name: Type.String(),
  province: Type.Optional(Type.String()),
  source: Type.Optional(Type.String()),
  may: Type.Array(
    Type.Union([
      Type.Literal('area-risk'),
      Type.Literal('status-entries'),
      Type.Literal('rule-sets'),
      Type.Literal('provinces'),
      Type.Literal('trust-list'),
      Type.Literal('reports'),
      Type.Literal('corrections'),
      Type.Literal('batches'),
      Type.Literal('capacity'),
    ]),
  ),
});

/** Who is signed in, and the sections their role sees. */
export type ConsoleMeAnswer = Static<typeof Me>;

export function consoleRoutes(deps: ConsoleDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Before the body is parsed: who it is, and whether its role opens this route's section.
    app.addHook('onRequest', async (request) => {
      request.consoleUser = await deps.accounts.signIn(request.headers.authorization);
      const { consoleSection, operatorOnly } = request.routeOptions.config;
      if (consoleSection !== undefined && !maySee(request.consoleUser, consoleSection))
        throw new AppError('YMT_ERR_CONSOLE_FORBIDDEN');
      if (operatorOnly === true && request.consoleUser.role !== 'operator')
        throw new AppError('YMT_ERR_CONSOLE_FORBIDDEN');
    });

    app.get(
      '/api/v1/console/me',
      {
        schema: {
          ...COMMON,
          operationId: 'consoleMe',
          summary: 'Who is signed in to the console, and the sections their role sees',
          response: { 200: Me, ...ERROR_RESPONSES },
        },
      },
      (request): ConsoleMeAnswer => {
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

    await app.register(areaRiskSection(deps));
    await app.register(statusEntriesSection(deps));
    await app.register(ruleSetsSection(deps));
    await app.register(provincesSection(deps));
    await app.register(trustListSection(deps));
    await app.register(reportsSection(deps));
    // The owners' corrections, as departments and provinces have them through their APIs: each sees its own.
    await app.register(
      ownerCorrectionsRoutes({
        corrections: deps.corrections,
        registry: deps.registry,
        clock: deps.clock,
        prefix: '/api/v1/console/corrections',
        actorOf: (request) => request.consoleUser,
        schema: COMMON,
        config: section('corrections'),
        operation: 'console',
      }),
    );
    await app.register(batchesSection(deps));
    await app.register(capacitySection(deps));
  };
}
