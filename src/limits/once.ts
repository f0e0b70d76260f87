/**
 * "Is this the first time within the window?" for what must be seen once by the whole hub, however many processes
 * answer for it (a signed request's nonce): in this process's memory when it answers alone; in Redis when several
 * instances share one (REDIS_URL), with this process's memory standing in while Redis cannot be reached; through
 * the cluster's primary when `yimatong serve --workers N` runs several processes without Redis.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Redis } from 'ioredis';
import { Replies } from './replies.ts';

export interface OnceStore {
  /** True the first time `key` is seen within `ttlMs`; false while it is remembered. */
  firstTime(key: string, ttlMs: number, nowMs: number): Promise<boolean>;
}

export class MemoryOnce implements OnceStore {
  private readonly seen = new Map<string, number>();

  firstTime(key: string, ttlMs: number, nowMs: number): Promise<boolean> {
    return Promise.resolve(this.firstTimeNow(key, ttlMs, nowMs));
  }

  firstTimeNow(key: string, ttlMs: number, nowMs: number): boolean {
    if (this.seen.size > 10_000) {
      for (const [k, until] of this.seen) if (until < nowMs) this.seen.delete(k);
    }
    const until = this.seen.get(key);
    if (until !== undefined && until >= nowMs) return false;
    this.seen.set(key, nowMs + ttlMs);
    return true;
  }
}

export class RedisOnce implements OnceStore {
  private readonly standIn = new MemoryOnce();

  constructor(private readonly redis: Redis) {}

  async firstTime(key: string, ttlMs: number, nowMs: number): Promise<boolean> {
    try {
      return (await this.redis.set(`ymt:once:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
    } catch {
      return this.standIn.firstTime(key, ttlMs, nowMs);
    }
  }
}

const CHANNEL = 'ymt:once';
/** How long a worker waits for the primary before answering from its own memory. */
const PRIMARY_TIMEOUT_MS = 2000;

interface OnceAsk {
  readonly channel: typeof CHANNEL;
  readonly id: number;
  readonly key: string;
  readonly ttlMs: number;
  readonly nowMs: number;
}
interface OnceAnswer {
  readonly channel: typeof CHANNEL;
  readonly id: number;
  readonly first: boolean;
}

const onChannel = (m: unknown): m is Record<string, unknown> =>
  typeof m === 'object' && m !== null && (m as { channel?: unknown }).channel === CHANNEL;
const isAsk = (m: unknown): m is OnceAsk => onChannel(m) && typeof m.key === 'string';
const isAnswer = (m: unknown): m is OnceAnswer => onChannel(m) && typeof m.first === 'boolean';

/** A cluster worker's store: the primary (`answerWorkersOnce`) remembers for every worker. */
export class ClusterOnce implements OnceStore {
  private readonly replies = new Replies<boolean>();
  private readonly standIn = new MemoryOnce();

  constructor() {
    process.on('message', (m: unknown) => {
      if (isAnswer(m)) this.replies.answer(m.id, m.first);
    });
  }

  firstTime(key: string, ttlMs: number, nowMs: number): Promise<boolean> {
    const send = process.send?.bind(process);
    if (!send) return this.standIn.firstTime(key, ttlMs, nowMs);
    return this.replies.ask(
      (id) => send({ channel: CHANNEL, id, key, ttlMs, nowMs } satisfies OnceAsk),
      PRIMARY_TIMEOUT_MS,
      () => this.standIn.firstTimeNow(key, ttlMs, nowMs),
    );
  }
}

/** In the cluster's primary: answers every worker's `ClusterOnce` from one memory. */
export function answerWorkersOnce(): void {
  const memory = new MemoryOnce();
  cluster.on('message', (worker: Worker, m: unknown) => {
    if (!isAsk(m)) return;
    const first = memory.firstTimeNow(m.key, m.ttlMs, m.nowMs);
    worker.send({ channel: CHANNEL, id: m.id, first } satisfies OnceAnswer);
  });
}
