/**
 * `/metrics` in the Prometheus text format (docs/operations.md#signals), through prom-client: admission per
 * priority class (in flight, its cap, admitted, shed), the event loop's delay, the database's and Redis's
 * availability, rate-limit hits, each peer's circuit and each feed's last batch, the rows the retention purge
 * removed, and Node's own process metrics.
 * Values are read from the process's parts when scraped; one registry per app (tests build many), beside Node's
 * process metrics, which are the process's own, collected once.
 *
 * Who may scrape: with METRICS_TOKEN set, whoever sends it as a bearer token; without, loopback clients only.
 */
import cluster from 'node:cluster';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { AppError } from '../errors/app-error.ts';
import { probeDatabase, type RawDatabase } from '../db/database.ts';
import type { ReadReplica } from '../db/read-replica.ts';
import type { PeerHealth } from '../federation/peer-health.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import type { Clock } from '../time/clock.ts';
import { FEED_SOURCES } from '../feeds/feed-records.domain.ts';
import { shareMetricsWithPrimary } from './cluster-metrics.ts';
import type { RefusalPacer } from './refusal-pacer.ts';
import { PRIORITIES, type Admission, type LoopDelayMonitor } from './admission.ts';

/** Node's process metrics (memory, GC, the loop's lag): one set per process, however many apps it builds. */
let processMetrics: Registry | undefined;
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/** A counter whose total lives elsewhere: each scrape adds what it grew by since the last one. */
function mirroredCounter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  totals: () =>
    | Promise<Iterable<readonly [Record<string, string>, number]>>
    | Iterable<readonly [Record<string, string>, number]>,
): void {
  const seen = new Map<string, number>();
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      for (const [labels, total] of await totals()) {
        const key = JSON.stringify(labels);
        const grown = total - (seen.get(key) ?? 0);
        if (grown > 0) this.inc(labels, grown);
        else if (!seen.has(key)) this.inc(labels, 0);
        seen.set(key, Math.max(total, seen.get(key) ?? 0));
      }
    },
  });
}

/** The registry of one app's metrics, and what the error handler tells it. */
export function prometheusOf(deps: {
  readonly admission: Admission;
  readonly loop: LoopDelayMonitor;
  readonly pacer: RefusalPacer;
  readonly limits: RateLimits;
  readonly peers: PeerHealth;
  readonly raw: RawDatabase;
  readonly poolErrors: { readonly count: number };
  readonly replica: ReadReplica | undefined;
  /** When each feed last sent a batch (epoch ms by source). */
  readonly lastBatchBySource: () => Promise<Map<string, number>>;
  /** Rows the retention purge removed in this process, per kind (docs/operations.md#retention). */
  readonly purged: Readonly<Record<string, number>>;
  readonly clock: Clock;
}): {
  readonly registry: Registry;
  readonly databaseFailure: (kind: 'busy' | 'unavailable') => void;
} {
  const { admission, loop, limits, peers } = deps;
  const own = new Registry();

  new Gauge({
    name: 'ymt_http_in_flight',
    help: 'Requests being served now, per priority class (uploads have their own budget)',
    labelNames: ['class'],
    registers: [own],
    collect() {
      const s = admission.snapshot();
      for (const p of PRIORITIES) this.set({ class: p }, s[p].inFlight);
    },
  });
  new Gauge({
    name: 'ymt_http_in_flight_cap',
    help: 'Most requests of the class served at once (its share of MAX_IN_FLIGHT, or MAX_UPLOADS_IN_FLIGHT)',
    labelNames: ['class'],
    registers: [own],
    collect() {
      const s = admission.snapshot();
      for (const p of PRIORITIES) this.set({ class: p }, s[p].cap);
    },
  });
  const perClass = (field: 'admitted' | 'shed') => () => {
    const s = admission.snapshot();
    return PRIORITIES.map((p) => [{ class: p }, s[p][field]] as const);
  };
  mirroredCounter(
    own,
    'ymt_http_admitted_total',
    'Requests admitted, per class',
    ['class'],
    perClass('admitted'),
  );
  mirroredCounter(
    own,
    'ymt_http_shed_total',
    'Requests refused with 503 YMT_ERR_BUSY by admission control, per class',
    ['class'],
    perClass('shed'),
  );
  mirroredCounter(
    own,
    'ymt_http_refusals_paced_total',
    'Refusals that waited for the refusal budget (clients asking again at once, faster than refusing can afford)',
    [],
    () => [[{}, deps.pacer.paced]],
  );
  new Gauge({
    name: 'ymt_http_refusals_waiting',
    help: 'Refusals waiting for the refusal budget now',
    registers: [own],
    collect() {
      this.set(deps.pacer.queued);
    },
  });
  new Gauge({
    name: 'ymt_event_loop_delay_seconds',
    help: 'The longest the event loop ran late since the previous scrape',
    registers: [own],
    collect() {
      this.set(loop.takeMaxMs() / 1000);
    },
  });
  new Gauge({
    name: 'ymt_event_loop_delay_limit_seconds',
    help: 'LOOP_DELAY_LIMIT_MS: past it, even codes are shed (details and uploads at 1/2 of it, declarations at 3/4)',
    registers: [own],
    collect() {
      this.set(admission.limits.loopDelayLimitMs / 1000);
    },
  });

  new Gauge({
    name: 'ymt_database_up',
    help: 'Whether the database answered a probe within a second (1) or not (0)',
    registers: [own],
    async collect() {
      this.set((await probeDatabase(deps.raw)) ? 1 : 0);
    },
  });
  mirroredCounter(
    own,
    'ymt_database_pool_errors_total',
    'Errors of idle database connections (PostgreSQL went away under them)',
    [],
    () => [[{}, deps.poolErrors.count]],
  );
  const replica = deps.replica;
  if (replica) {
    new Gauge({
      name: 'ymt_read_replica_lag_bound_seconds',
      help: 'At most how far behind the primary the read replica is (DATABASE_READ_URL); +Inf when not measured',
      registers: [own],
      collect() {
        this.set(replica.state().lagBoundMs / 1000);
      },
    });
    mirroredCounter(
      own,
      'ymt_database_lagged_reads_total',
      'Lag-tolerant reads, by the server that answered them (replica, or primary when the replica lagged or failed)',
      ['server'],
      () => Object.entries(replica.state().reads).map(([server, n]) => [{ server }, n] as const),
    );
  }
  const failures = new Counter({
    name: 'ymt_database_failures_total',
    help: 'Requests answered 503 because the database was busy or unavailable',
    labelNames: ['kind'],
    registers: [own],
  });
  if (limits.shared)
    new Gauge({
      name: 'ymt_redis_up',
      help: 'Whether Redis (REDIS_URL) answers; absent when no Redis is configured',
      registers: [own],
      async collect() {
        this.set((await limits.redisUp()) === true ? 1 : 0);
      },
    });
  mirroredCounter(
    own,
    'ymt_rate_limit_hits_total',
    'Requests refused with 429 YMT_ERR_RATE_LIMITED, per limit',
    ['limit'],
    () => Object.entries(limits.hits).map(([limit, n]) => [{ limit }, n] as const),
  );

  new Gauge({
    name: 'ymt_peer_up',
    help: 'Whether calls to the peer go through (1) or its circuit is open after repeated failures (0)',
    labelNames: ['peer'],
    registers: [own],
    collect() {
      this.reset();
      for (const p of peers.snapshot()) this.set({ peer: p.peer }, p.up ? 1 : 0);
    },
  });
  mirroredCounter(own, 'ymt_peer_calls_total', 'Calls to the peer', ['peer'], () =>
    peers.snapshot().map((p) => [{ peer: p.peer }, p.calls] as const),
  );
  mirroredCounter(own, 'ymt_peer_failures_total', 'Calls to the peer that failed', ['peer'], () =>
    peers.snapshot().map((p) => [{ peer: p.peer }, p.failures] as const),
  );
  mirroredCounter(
    own,
    'ymt_peer_short_circuited_total',
    'Calls not made because the peer’s circuit was open',
    ['peer'],
    () => peers.snapshot().map((p) => [{ peer: p.peer }, p.shortCircuited] as const),
  );
  new Gauge({
    name: 'ymt_feed_last_batch_age_seconds',
    help: 'Seconds since the feed last sent a batch (absent: never)',
    labelNames: ['source'],
    registers: [own],
    async collect() {
      this.reset();
      const now = deps.clock().getTime();
      const last = await deps.lastBatchBySource().catch(() => new Map<string, number>());
      for (const source of FEED_SOURCES) {
        const at = last.get(source);
        if (at !== undefined) this.set({ source }, Math.max(0, (now - at) / 1000));
      }
    },
  });

  mirroredCounter(
    own,
    'ymt_retention_purged_rows_total',
    'Rows the retention purge removed, per kind (docs/operations.md#retention); only the purging process counts',
    ['kind'],
    () => Object.entries(deps.purged).map(([kind, n]) => [{ kind }, n] as const),
  );

  return {
    // Merged once everything is registered (a merge copies the metrics it finds).
    registry: Registry.merge([processRegistry(), own]),
    databaseFailure: (kind) => {
      failures.inc({ kind });
    },
  };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function prometheusRoutes(deps: {
  readonly registry: Registry;
  /** METRICS_TOKEN: required as a bearer token when set; without it, loopback clients only. */
  readonly token: string | undefined;
}): FastifyPluginAsyncTypebox {
  const { registry, token } = deps;
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  // A worker of `serve --workers` answers with every worker's metrics merged (cluster-metrics.ts).
  const everyWorker = cluster.isWorker ? shareMetricsWithPrimary(registry) : undefined;
  return async (app) => {
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      const allowed =
        expected === undefined
          ? ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(request.ip)
          : timingSafeEqual(digest(request.headers.authorization ?? ''), expected);
      if (!allowed) throw new AppError('YMT_ERR_METRICS_FORBIDDEN');
      const merged = everyWorker ? await everyWorker() : undefined;
      return reply.type(registry.contentType).send(merged ?? (await registry.metrics()));
    });
  };
}
