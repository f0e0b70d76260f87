/**
 * The operator's signals as one snapshot for the console's capacity section (docs/operations.md#signals); `/metrics`
 * exposes the same sources to Prometheus (prometheus.routes.ts). Read when asked; nothing kept.
 */
import { probeDatabase, type RawDatabase } from '../db/database.ts';
import type { PeerHealth, PeerState } from '../federation/peer-health.ts';
import type { LimitName, RateLimits } from '../limits/rate-limits.ts';
import { PRIORITIES, type Admission, type LoopDelayMonitor, type Priority } from './admission.ts';

export interface SignalSources {
  readonly admission: Admission;
  readonly loop: LoopDelayMonitor;
  readonly limits: RateLimits;
  readonly peers: PeerHealth;
  readonly raw: RawDatabase;
}

export interface Signals {
  readonly classes: readonly {
    readonly class: Priority;
    readonly inFlight: number;
    readonly cap: number;
    readonly admitted: number;
    readonly shed: number;
  }[];
  readonly loop: { readonly p99Ms: number; readonly nowMs: number; readonly limitMs: number };
  readonly database: 'up' | 'down';
  /** null: no REDIS_URL. */
  readonly redis: 'up' | 'down' | null;
  readonly rateLimitHits: Readonly<Record<LimitName, number>>;
  readonly peers: readonly PeerState[];
}

export async function snapshotSignals(s: SignalSources): Promise<Signals> {
  const admission = s.admission.snapshot();
  const redis = await s.limits.redisUp();
  return {
    classes: PRIORITIES.map((p) => ({ class: p, ...admission[p] })),
    loop: {
      p99Ms: Math.round(s.loop.percentileMs(99) * 10) / 10,
      nowMs: Math.round(s.loop.liveMs() * 10) / 10,
      limitMs: s.admission.limits.loopDelayLimitMs,
    },
    database: (await probeDatabase(s.raw)) ? 'up' : 'down',
    redis: redis === undefined ? null : redis ? 'up' : 'down',
    rateLimitHits: { ...s.limits.hits },
    peers: s.peers.snapshot(),
  };
}
