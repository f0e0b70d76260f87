/**
 * `/metrics` under `yimatong serve --workers N` (docs/operations.md#workers): the worker that takes the scrape asks
 * the cluster's primary, which gathers every worker's metrics and merges them with prom-client's aggregation
 * (counters and most gauges summed, per metric), so a scrape sees the hub, not whichever worker answered. A worker
 * the primary does not hear from within the timeout is left out; a primary that does not answer leaves the worker
 * answering with its own metrics.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { Replies } from '../limits/replies.ts';

/** One worker's metrics, as `Registry.getMetricsAsJSON` gives them. */
type WorkerMetrics = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

const CHANNEL = 'ymt:metrics';
const TIMEOUT_MS = 2000;

type Message =
  | { readonly channel: typeof CHANNEL; readonly kind: 'ask'; readonly id: number }
  | { readonly channel: typeof CHANNEL; readonly kind: 'gather'; readonly id: number }
  | {
      readonly channel: typeof CHANNEL;
      readonly kind: 'gathered';
      readonly id: number;
      readonly json: WorkerMetrics;
    }
  | { readonly channel: typeof CHANNEL; readonly kind: 'merged'; readonly id: number; readonly text: string };

const ours = (m: unknown): m is Message =>
  typeof m === 'object' && m !== null && (m as { channel?: unknown }).channel === CHANNEL;

/** In a worker: answers the primary's gathering with `registry`'s metrics; returns how to ask for everyone's. */
export function shareMetricsWithPrimary(registry: Registry): () => Promise<string | undefined> {
  const merged = new Replies<string | undefined>();
  process.on('message', (m: unknown) => {
    if (!ours(m)) return;
    if (m.kind === 'gather')
      void registry.getMetricsAsJSON().then((json) => {
        process.send?.({ channel: CHANNEL, kind: 'gathered', id: m.id, json } satisfies Message);
      });
    if (m.kind === 'merged') merged.answer(m.id, m.text);
  });
  return () =>
    merged.ask(
      (id) => process.send?.({ channel: CHANNEL, kind: 'ask', id } satisfies Message),
      TIMEOUT_MS,
      () => undefined,
    );
}

/** In the primary: gathers every worker's metrics when one asks, and answers it with them merged. */
export function mergeWorkersMetrics(): void {
  const gathered = new Replies<WorkerMetrics | undefined>();
  cluster.on('message', (asker: Worker, m: unknown) => {
    if (!ours(m)) return;
    if (m.kind === 'gathered') gathered.answer(m.id, m.json);
    if (m.kind !== 'ask') return;
    const workers = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w !== undefined && w.isConnected(),
    );
    void Promise.all(
      workers.map((w) =>
        gathered.ask(
          (id) => w.send({ channel: CHANNEL, kind: 'gather', id } satisfies Message),
          TIMEOUT_MS,
          () => undefined,
        ),
      ),
    )
      .then((all) => AggregatorRegistry.aggregate(all.filter((j) => j !== undefined)).metrics())
      .then((text) => {
        if (asker.isConnected())
          asker.send({ channel: CHANNEL, kind: 'merged', id: m.id, text } satisfies Message);
      });
  });
}
