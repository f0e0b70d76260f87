/** The console's capacity section: this process's requests over the last hour, its signals, and each feed's lag. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { FeedBatchesService } from '../../feeds/feed-batches.service.ts';
import { FEED_SOURCES } from '../../feeds/feed-records.domain.ts';
import type { RequestMetrics } from '../../http/metrics.ts';
import type { Signals } from '../../http/signals.ts';
import { ERROR_RESPONSES } from '../../http/schemas.ts';
import type { Clock } from '../../time/clock.ts';
import { COMMON, Iso, iso, IsoOrNull, section } from '../console.schemas.ts';

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

const Count = Type.Integer({ minimum: 0 });
const SignalsSchema = Type.Object({
  classes: Type.Array(
    Type.Object({
      class: Type.Union([
        Type.Literal('codes'),
        Type.Literal('declarations'),
        Type.Literal('details'),
        Type.Literal('uploads'),
      ]),
      inFlight: Count,
      cap: Count,
      admitted: Count,
      shed: Count,
    }),
  ),
  loop: Type.Object({ p99Ms: Type.Number(), nowMs: Type.Number(), limitMs: Type.Number() }),
  database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  redis: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Null()]),
  rateLimitHits: Type.Object({ failures: Count, tickets: Count, codes: Count }),
  peers: Type.Array(
    Type.Object({
      peer: Type.String(),
      up: Type.Boolean(),
      consecutiveFailures: Count,
      calls: Count,
      failures: Count,
      shortCircuited: Count,
    }),
  ),
});

const Capacity = Type.Object({
  requests: MetricsSchema,
  /** The operator's signals (docs/operations.md#signals). */
  signals: SignalsSchema,
  feedLag: Type.Array(
    Type.Object({
      source: Type.String(),
      lastBatchAt: IsoOrNull,
      lagSeconds: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
});

/** The capacity section's answer. */
export type CapacityAnswer = Static<typeof Capacity>;

export function capacitySection(deps: {
  metrics: RequestMetrics;
  signals: () => Promise<Signals>;
  batches: FeedBatchesService;
  clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { metrics, batches, clock } = deps;
  return async (app) => {
    app.get(
      '/api/v1/console/capacity',
      {
        config: section('capacity'),
        schema: {
          ...COMMON,
          operationId: 'consoleCapacity',
          summary: "This hub process's requests over the last hour, and how long since each feed last sent",
          response: { 200: Capacity, ...ERROR_RESPONSES },
        },
      },
      async () => {
        const now = clock();
        const last = await batches.lastBySource();
        const requests = metrics.snapshot(now);
        return {
          requests: { ...requests, minutes: [...requests.minutes] },
          signals: await deps.signals().then((g) => ({
            ...g,
            classes: [...g.classes],
            peers: [...g.peers],
          })),
          feedLag: FEED_SOURCES.map((source) => {
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
