/**
 * Admission control with priorities (docs/operations.md#overload). Every `/api/` request belongs to one class:
 *
 * - `codes`: showing and verifying codes — served first, shed last;
 * - `declarations`: signing in, declaring, and the provinces' identity and status exchanges — next;
 * - `details`: health details, the console, reports, corrections, everything else — degraded first;
 * - `uploads`: department batches and attachments — their own budget, never counted against the holders'.
 *
 * A request is admitted when its class is under its share of the in-flight budget AND the event loop is not later
 * than its class allows. The loop's lateness is what sees work queued before a handler runs (requests waiting in
 * socket buffers while the loop is busy): on SQLite every handler finishes within its tick, so the in-flight count
 * alone never rises while clients wait seconds. Both are read when a request arrives, so shedding starts within
 * the very loop turn that runs late; admitted requests run after the turn has read and refused the others
 * (`LoopDelayMonitor.defer`). No I/O here; the monitor below times.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

export const PRIORITIES = ['codes', 'declarations', 'details', 'uploads'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The share of MAX_IN_FLIGHT each holders' class may fill, and the share of LOOP_DELAY_LIMIT_MS it tolerates. */
export const SHARES: Readonly<Record<Priority, { readonly inFlight: number; readonly loopDelay: number }>> = {
  codes: { inFlight: 1, loopDelay: 1 },
  declarations: { inFlight: 0.75, loopDelay: 0.75 },
  details: { inFlight: 0.5, loopDelay: 0.5 },
  // Uploads have their own in-flight budget (MAX_UPLOADS_IN_FLIGHT); this share is of that budget.
  uploads: { inFlight: 1, loopDelay: 0.5 },
};

const CODES = new Set(['/api/v1/me/code', '/api/v1/verify', '/api/v1/checkpoint/national-status']);
const CODES_FEDERATION = new Set(['/api/v1/federation/code-holder', '/api/v1/federation/holder-status']);
const DECLARATIONS = new Set(['/api/v1/me/declaration']);

/** The class of a request, from its method and URL (the query is ignored). */
export function priorityOf(method: string, url: string): Priority {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (CODES.has(path) || CODES_FEDERATION.has(path)) return 'codes';
  if (method === 'POST' || method === 'PUT') {
    if (path.startsWith('/api/v1/feeds/') && path.endsWith('/batches')) return 'uploads';
    if (path.startsWith('/api/v1/me/corrections/') && path.endsWith('/attachments')) return 'uploads';
  }
  if (DECLARATIONS.has(path) || path.startsWith('/api/v1/auth/') || path.startsWith('/api/v1/federation/'))
    return 'declarations';
  return 'details';
}

export interface AdmissionLimits {
  /** The holders' in-flight budget (MAX_IN_FLIGHT), shared by codes, declarations and details. */
  readonly maxInFlight: number;
  /** The uploads' own in-flight budget (MAX_UPLOADS_IN_FLIGHT). */
  readonly maxUploadsInFlight: number;
  /** How late the event loop may run before codes are shed (LOOP_DELAY_LIMIT_MS); other classes shed sooner; 0: never. */
  readonly loopDelayLimitMs: number;
}

export type Refusal = 'in-flight' | 'loop-delay';

interface ClassState {
  readonly cap: number;
  readonly delayMs: number;
  inFlight: number;
  admitted: number;
  shed: number;
}

/** Decides, per request, admit or shed; counts what it did per class. */
export class Admission {
  private readonly classes: Record<Priority, ClassState>;
  private holders = 0;

  constructor(
    readonly limits: AdmissionLimits,
    /** How late the event loop runs now, in ms (LoopDelayMonitor.pressureMs in the app; a stub in tests). */
    private readonly loopDelayMs: () => number,
  ) {
    for (const n of [limits.maxInFlight, limits.maxUploadsInFlight])
      if (!Number.isInteger(n) || n < 1) throw new RangeError('in-flight budgets must be positive integers');
    if (!(limits.loopDelayLimitMs >= 0)) throw new RangeError('the loop delay limit must not be negative');
    const state = (p: Priority): ClassState => {
      const budget = p === 'uploads' ? limits.maxUploadsInFlight : limits.maxInFlight;
      return {
        cap: Math.max(1, Math.floor(budget * SHARES[p].inFlight)),
        delayMs:
          limits.loopDelayLimitMs === 0
            ? Number.POSITIVE_INFINITY
            : limits.loopDelayLimitMs * SHARES[p].loopDelay,
        inFlight: 0,
        admitted: 0,
        shed: 0,
      };
    };
    this.classes = {
      codes: state('codes'),
      declarations: state('declarations'),
      details: state('details'),
      uploads: state('uploads'),
    };
  }

  /** Holders' requests in flight (codes, declarations, details) against MAX_IN_FLIGHT. */
  get inFlight(): number {
    return this.holders;
  }

  get limit(): number {
    return this.limits.maxInFlight;
  }

  /** Admits (and counts one in flight) or says why not (and counts one shed). */
  tryAdmit(p: Priority): Refusal | undefined {
    const c = this.classes[p];
    // A holders' class is full when all holders' requests together reach its share: the rest is kept for classes
    // above it. Uploads count only against their own budget.
    const used = p === 'uploads' ? c.inFlight : this.holders;
    const refusal: Refusal | undefined =
      used >= c.cap ? 'in-flight' : this.loopDelayMs() > c.delayMs ? 'loop-delay' : undefined;
    if (refusal !== undefined) {
      c.shed++;
      return refusal;
    }
    c.inFlight++;
    c.admitted++;
    if (p !== 'uploads') this.holders++;
    return undefined;
  }

  /** Gives back what tryAdmit took for class `p`. */
  release(p: Priority): void {
    const c = this.classes[p];
    if (c.inFlight === 0) throw new Error('release without a matching admission');
    c.inFlight--;
    if (p !== 'uploads') this.holders--;
  }

  /** Per class: in flight now, its cap, admitted and shed since start. */
  snapshot(): Record<Priority, { inFlight: number; cap: number; admitted: number; shed: number }> {
    const out = {} as Record<Priority, { inFlight: number; cap: number; admitted: number; shed: number }>;
    for (const p of PRIORITIES) {
      const { inFlight, cap, admitted, shed } = this.classes[p];
      out[p] = { inFlight, cap, admitted, shed };
    }
    return out;
  }
}

/**
 * How late the event loop runs. A timer ticks every `intervalMs` and notes how late it ran: that is how long the
 * turn before it took. Between ticks, the turn that runs now is "late" by how far past its due time the next
 * tick already is — a turn busy with a burst of requests sees itself grow late while it runs, so shedding starts
 * within it. The pressure admission reads is the smaller of "late now" and the latest any tick ran in the last
 * `memoryTicks` ticks: one long turn alone (a burst after a quiet spell) sheds nothing, and once turns ran late,
 * every turn for a while stops admitting when it has run late itself. Remembering only the last tick made the
 * loop swing: a turn cut short let the next admit everything that had queued, a turn several times too long.
 */
export class LoopDelayMonitor {
  private lastTick = performance.now();
  /** The last ticks' lateness (ms), a ring; and the largest of them. */
  private readonly recent: number[];
  private recentAt = 0;
  private recentMax = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  /** The largest lateness seen at a tick since the last `takeMaxMs`. */
  private maxLate = 0;
  /** Admitted requests waiting to run after this turn's reading and refusing (`defer`). */
  private deferred = 0;
  /** When the last deferred request began, and whether the next one runs right after it. */
  private lastRunStart = 0;
  private nextFollows = false;
  /** How long one deferred request holds the loop (ms), a moving average. */
  private runCostMs = 0.25;

  constructor(
    readonly intervalMs = 5,
    /** How many ticks a late one is remembered (10 × 5 ms: 50 ms). */
    readonly memoryTicks = 10,
  ) {
    this.recent = new Array<number>(memoryTicks).fill(0);
  }

  start(): void {
    if (this.timer) return;
    this.lastTick = performance.now();
    this.histogram.enable();
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = Math.max(0, now - this.lastTick - this.intervalMs);
      this.recent[this.recentAt] = late;
      this.recentAt = (this.recentAt + 1) % this.recent.length;
      this.recentMax = Math.max(...this.recent);
      this.maxLate = Math.max(this.maxLate, late);
      this.lastTick = now;
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.histogram.disable();
  }

  /** How late the turn running now is (ms; 0 when on time). */
  liveMs(): number {
    return Math.max(0, performance.now() - this.lastTick - this.intervalMs);
  }

  /**
   * Runs an admitted request's `work` once the turn has read (and refused) every request that is ready, counting
   * it as work queued for this turn until then. Refusals are thus answered before the admitted work runs, not
   * behind it, and admission sees the turn's queued work before it runs.
   */
  defer(work: () => void): void {
    this.deferred++;
    setImmediate(() => {
      const now = performance.now();
      // Requests deferred in one turn run one after the other: the gap between two starts is one's cost.
      if (this.nextFollows) this.runCostMs += 0.05 * (now - this.lastRunStart - this.runCostMs);
      this.deferred--;
      this.nextFollows = this.deferred > 0;
      this.lastRunStart = now;
      work();
    });
  }

  /** The work admitted and waiting to run in this turn (ms, estimated). */
  queuedWorkMs(): number {
    return this.deferred * this.runCostMs;
  }

  /** The latest any of the last `memoryTicks` ticks ran (ms). */
  get lateLatelyMs(): number {
    return this.recentMax;
  }

  /** What admission reads: late now (with the work queued for this turn) and late lately (ms). */
  pressureMs = (): number => Math.min(this.liveMs() + this.queuedWorkMs(), this.recentMax);

  /** The worst lateness seen since the last call, then starts again (for a gauge scraped now and then). */
  takeMaxMs(): number {
    const max = Math.max(this.maxLate, this.liveMs());
    this.maxLate = 0;
    return max;
  }

  /** Node's event-loop delay percentile (ms) since start. */
  percentileMs(p: number): number {
    return this.histogram.count === 0 ? 0 : this.histogram.percentile(p) / 1e6;
  }
}

/** The process's admission, reading a started loop monitor (stop the monitor when the process closes). */
export function startAdmission(limits: AdmissionLimits): { admission: Admission; loop: LoopDelayMonitor } {
  const loop = new LoopDelayMonitor();
  loop.start();
  const { maxInFlight, maxUploadsInFlight, loopDelayLimitMs } = limits;
  return {
    admission: new Admission({ maxInFlight, maxUploadsInFlight, loopDelayLimitMs }, loop.pressureMs),
    loop,
  };
}
