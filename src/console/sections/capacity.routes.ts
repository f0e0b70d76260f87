/** The console's capacity section: this process's requests over the last hour, and each feed's lag. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { FeedBatchesService } from '../../feeds/feed-batches.service.ts';
import { FEED_SOURCES } from '../../feeds/feed-records.domain.ts';
import type { RequestMetrics } from '../../http/metrics.ts';
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

const Capacity = Type.Object({
  requests: MetricsSchema,
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
