/**
 * Circuit breakers for peers (provincial nodes seen from the hub, the hub seen from a node): after
 * FAILURES_TO_OPEN calls in a row that failed (unreachable, timed out, garbage, or a 5xx), the peer's circuit
 * opens and calls fail at once for OPEN_MS, costing nothing; then one trial call goes through — success closes
 * the circuit, failure opens it again. Timed on the monotonic clock: a breaker is about this process's calls,
 * not about the domain's time. Counts per peer feed /metrics (docs/operations.md#signals).
 */
import { performance } from 'node:perf_hooks';

export const FAILURES_TO_OPEN = 5;
export const OPEN_MS = 5000;

export interface PeerState {
  readonly peer: string;
  /** Closed (calls go through) or half-open; false while open. */
  readonly up: boolean;
  readonly consecutiveFailures: number;
  readonly calls: number;
  readonly failures: number;
  /** Calls refused at once while the circuit was open. */
  readonly shortCircuited: number;
}

interface Mutable {
  consecutiveFailures: number;
  openUntil: number;
  trial: boolean;
  calls: number;
  failures: number;
  shortCircuited: number;
}

export class PeerHealth {
  private readonly peers = new Map<string, Mutable>();

  constructor(
    private readonly failuresToOpen = FAILURES_TO_OPEN,
    private readonly openMs = OPEN_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private state(peer: string): Mutable {
    let s = this.peers.get(peer);
    if (!s) {
      s = { consecutiveFailures: 0, openUntil: 0, trial: false, calls: 0, failures: 0, shortCircuited: 0 };
      this.peers.set(peer, s);
    }
    return s;
  }

  /** May a call to `peer` go out now? False while its circuit is open (or its one trial call is out). */
  allow(peer: string): boolean {
    const s = this.state(peer);
    if (s.consecutiveFailures < this.failuresToOpen) return true;
    if (this.now() >= s.openUntil && !s.trial) {
      s.trial = true;
      return true;
    }
    s.shortCircuited++;
    return false;
  }

  succeeded(peer: string): void {
    const s = this.state(peer);
    s.calls++;
    s.consecutiveFailures = 0;
    s.trial = false;
  }

  failed(peer: string): void {
    const s = this.state(peer);
    s.calls++;
    s.failures++;
    s.consecutiveFailures++;
    s.trial = false;
    if (s.consecutiveFailures >= this.failuresToOpen) s.openUntil = this.now() + this.openMs;
  }

  snapshot(): PeerState[] {
    return [...this.peers].map(([peer, s]) => ({
      peer,
      up: s.consecutiveFailures < this.failuresToOpen || (this.now() >= s.openUntil && !s.trial),
      consecutiveFailures: s.consecutiveFailures,
      calls: s.calls,
      failures: s.failures,
      shortCircuited: s.shortCircuited,
    }));
  }
}
