/**
 * Answers awaited by id over a process channel (node:cluster's messages between the primary and its workers), each
 * given up after a timeout: what the workers' shared limits and nonces (once.ts) and merged metrics
 * (src/http/cluster-metrics.ts) ask of another process.
 */
export class Replies<T> {
  private next = 0;
  private readonly waiting = new Map<number, (value: T) => void>();

  /** Sends the question with a new id; resolves with the answer to that id, or with `late()` after `timeoutMs`. */
  ask(send: (id: number) => void, timeoutMs: number, late: () => T): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(late());
      }, timeoutMs);
      this.waiting.set(id, (value) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(value);
      });
      send(id);
    });
  }

  /** Delivers the answer to `id` (nothing when no one waits for it any more). */
  answer(id: number, value: T): void {
    this.waiting.get(id)?.(value);
  }
}
