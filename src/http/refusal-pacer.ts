/**
 * Refusals answered at once while they are cheap, paced when clients retry faster than refusing can afford
 * (docs/operations.md#overload). A refusal costs the hub a request's parsing and an answer's writing (≈ 20 µs);
 * clients that ignore Retry-After and ask again the moment they are refused can send tens of thousands a second
 * and leave the admitted requests no CPU: goodput collapses (issue 14, finding 3). So refusals draw on a budget
 * that grows with what is admitted (REFUSALS_PER_ADMITTED each) and with time (REFUSALS_FLOOR_PER_SECOND): within
 * it, a refusal is answered at once — arrivals at three times capacity stay within it; beyond it, refusals wait in
 * order for the budget, at most MAX_REFUSAL_WAIT_MS. A waiting refusal costs a timer entry, and a keep-alive client
 * sends nothing until it is answered, so pacing slows exactly the clients that retry in a loop.
 */

/** Refusals afforded at once per admitted request (three times capacity needs 2). */
export const REFUSALS_PER_ADMITTED = 4;
/** Refusals afforded per second when nothing is admitted (a hub that sheds everything still answers). */
export const REFUSALS_FLOOR_PER_SECOND = 500;
/** The most refusals afforded at once after a quiet spell. */
export const REFUSAL_BURST = 2000;
/** The longest a refusal waits for the budget before it is answered anyway. */
export const MAX_REFUSAL_WAIT_MS = 500;
/** How often waiting refusals are looked at. */
const DRAIN_EVERY_MS = 5;

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

  constructor(
    private readonly pacing: RefusalPacing = DEFAULT_PACING,
    /** Monotonic milliseconds (performance.now in the app). */
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.tokens = pacing.burst;
    this.lastRefill = nowMs();
  }

  /** Refusals waiting now. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /** One request admitted: the budget grows. */
  admitted(): void {
    this.tokens = Math.min(this.pacing.burst, this.tokens + this.pacing.perAdmitted);
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
    const earned = ((now - this.lastRefill) * this.pacing.floorPerSecond) / 1000;
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
