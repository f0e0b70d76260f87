/**
 * How far behind its primary a PostgreSQL streaming replica may be, as a bound in time that holds (pure: no I/O,
 * the times are parameters).
 *
 * The primary's WAL position is sampled with the time taken just before the sample: every transaction committed
 * before that time ends at or below that position. When the replica has replayed up to a sampled position, it holds
 * every transaction committed before that sample's time. So the replica is at most `now − t` behind, where t is the
 * time of the newest sample it has replayed. The bound only grows between probes: a replica that stops answering,
 * or stops replaying, is soon past any limit, with no special case.
 */

/** A WAL position (`pg_lsn`, written `16/B374D848`) as a number that compares. */
export function parseLsn(text: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!m?.[1] || !m[2]) throw new TypeError(`not a WAL position: ${text}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** Samples kept at most (at 4 probes a second, more than a minute of them). */
const MAX_SAMPLES = 256;

export class ReplicaLag {
  private samples: { at: number; lsn: bigint }[] = [];
  /** The replica holds everything committed before this time (-Infinity: nothing known). */
  private consistentAt = Number.NEGATIVE_INFINITY;

  /** The primary was at `lsn` when asked just after `at`. */
  primaryAt(at: number, lsn: bigint): void {
    this.samples.push({ at, lsn });
    if (this.samples.length > MAX_SAMPLES) this.samples.shift();
  }

  /** The replica has replayed up to `lsn`; null when it is not replaying (not a standby). */
  replayed(lsn: bigint | null): void {
    if (lsn === null) {
      this.lost();
      return;
    }
    let newest: number | undefined;
    let keepFrom = 0;
    for (let i = 0; i < this.samples.length; i++) {
      const s = this.samples[i];
      if (s && s.lsn <= lsn) {
        newest = s.at;
        keepFrom = i;
      }
    }
    if (newest !== undefined && newest > this.consistentAt) this.consistentAt = newest;
    // Older samples can no longer be the newest replayed one.
    this.samples = this.samples.slice(keepFrom);
  }

  /** The replica went away or answered nonsense: nothing is known about it until it is measured again. */
  lost(): void {
    this.consistentAt = Number.NEGATIVE_INFINITY;
  }

  /** At most how many milliseconds behind the primary the replica is at `now` (Infinity: not known). */
  boundMs(now: number): number {
    return Math.max(0, now - this.consistentAt);
  }
}
