/**
 * Refusals answered at once while they are cheap, paced when clients retry faster than refusing can afford
 * (docs/operations.md#overload). A refusal costs the hub a request's parsing and an answer's writing (20–40 µs);
 * clients that ignore Retry-After and ask again the moment they are refused can send tens of thousands a second
 * and leave the admitted requests no CPU: goodput collapses (issue 14, finding 3). So refusals draw on a budget
 * that grows with time: REFUSALS_PER_ADMITTED for each request the hub admitted in its best second of the last
 * minute (what it can serve, not what it serves now: a budget that followed the current goodput shrank when
 * goodput dipped, paced more, and held the connections that would have brought admitted requests), plus
 * REFUSALS_FLOOR_PER_SECOND. Within it, a refusal is answered at once — arrivals at three times capacity stay
 * within it; beyond it, refusals wait in order for the budget, at most MAX_REFUSAL_WAIT_MS. A waiting refusal
 * costs a timer entry, and a keep-alive client sends nothing until it is answered, so pacing slows exactly the
 * clients that retry in a loop.
 */

/** Refusals afforded per second per request admitted in the best second (three times capacity needs 2). */
export const REFUSALS_PER_ADMITTED = 4;
/** Refusals afforded per second when nothing is admitted (a hub that sheds everything still answers). */
export const REFUSALS_FLOOR_PER_SECOND = 500;
/** The most refusals afforded at once after a quiet spell. */
export const REFUSAL_BURST = 2000;
/** The longest a refusal waits for the budget before it is answered anyway. */
export const MAX_REFUSAL_WAIT_MS = 500;
/** How often waiting refusals are looked at. */
const DRAIN_EVERY_MS = 5;
/** How many seconds back the best second of admissions is looked for. */
const PEAK_WINDOW_SECONDS = 60;

export interface RefusalPacing {
  readonly perAdmitted: number;
  readonly floorPerSecond: number;
  readonly burst: number;
  readonly maxWaitMs: number;
}

export const DEFAULT_PACING: RefusalPacing = {
  perAdmitted: REFUSALS_PER_ADMITTED,
  floorPerSecond: REFUSALS_FLOOR_PER_SECOND,
  burst: REFUSAL_BURST,
  maxWaitMs: MAX_REFUSAL_WAIT_MS,
};

export class RefusalPacer {
  private tokens: number;
  private lastRefill: number;
  private readonly waiting: { readonly since: number; readonly answer: () => void }[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Refusals that waited for the budget, since start. */
  paced = 0;
  /** Admissions per second of the last PEAK_WINDOW_SECONDS (a ring indexed by the second), and which second. */
  private readonly perSecond = new Array<number>(PEAK_WINDOW_SECONDS).fill(0);
  private second: number;
  /** The most admitted in one finished second of the window. */
  private peak = 0;

  constructor(
    private readonly pacing: RefusalPacing = DEFAULT_PACING,
    /** Monotonic milliseconds (performance.now in the app). */
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.tokens = pacing.burst;
    this.lastRefill = nowMs();
    this.second = Math.floor(this.lastRefill / 1000);
  }

  /** Refusals waiting now. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /** One request admitted: counted in its second (the budget follows the best second). */
  admitted(): void {
    this.roll(Math.floor(this.nowMs() / 1000));
    this.perSecond[this.second % PEAK_WINDOW_SECONDS] =
      (this.perSecond[this.second % PEAK_WINDOW_SECONDS] ?? 0) + 1;
  }

  /** Refusals afforded per second now. */
  get ratePerSecond(): number {
    const current = this.perSecond[this.second % PEAK_WINDOW_SECONDS] ?? 0;
    return this.pacing.floorPerSecond + this.pacing.perAdmitted * Math.max(this.peak, current);
  }

  /** Moves the ring to `second`, clearing the seconds skipped, and takes the peak of the finished ones. */
  private roll(second: number): void {
    if (second <= this.second) return;
    const steps = Math.min(second - this.second, PEAK_WINDOW_SECONDS);
    for (let i = 1; i <= steps; i++) this.perSecond[(this.second + i) % PEAK_WINDOW_SECONDS] = 0;
    this.second = second;
    // The finished seconds: every slot but the current one.
    let peak = 0;
    for (let i = 0; i < PEAK_WINDOW_SECONDS; i++)
      if (i !== second % PEAK_WINDOW_SECONDS) peak = Math.max(peak, this.perSecond[i] ?? 0);
    this.peak = peak;
  }

  /** Answers one refusal now if the budget allows, else when it does (or at the longest wait). */
  refuse(answer: () => void): void {
    this.refill();
    if (this.queued === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      answer();
      return;
    }
    this.paced++;
    this.waiting.push({ since: this.nowMs(), answer });
    this.timer ??= setInterval(() => {
      this.drain();
    }, DRAIN_EVERY_MS);
    this.timer.unref();
  }

  /** Answers every waiting refusal now (the server is closing). */
  flush(): void {
    while (this.queued > 0) this.next()?.answer();
    this.stop();
  }

  private refill(): void {
    const now = this.nowMs();
    this.roll(Math.floor(now / 1000));
    const earned = ((now - this.lastRefill) * this.ratePerSecond) / 1000;
    this.tokens = Math.min(this.pacing.burst, this.tokens + earned);
    this.lastRefill = now;
  }

  private next(): { readonly since: number; readonly answer: () => void } | undefined {
    const w = this.waiting[this.head++];
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    return w;
  }

  private drain(): void {
    this.refill();
    const overdue = this.nowMs() - this.pacing.maxWaitMs;
    while (this.queued > 0) {
      const first = this.waiting[this.head];
      if (first === undefined) break;
      if (this.tokens >= 1) this.tokens -= 1;
      else if (first.since > overdue) break;
      this.next()?.answer();
    }
    if (this.queued === 0) this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
