/**
 * The status exchange (docs/federation.md#status-exchange): one mechanism for both directions — a node telling the
 * hub its own findings about its holders, the hub telling each node the national status of the holders who
 * confirmed a sign-in there. Each side:
 *
 * 1. **sweeps**: every holder marked dirty (their evidence changed: the mark is set with the snapshot's drop, in the
 *    same transaction, whatever read the status since) and every holder last sent a colour other than green and not
 *    reviewed for REVIEW_AFTER (a window may have closed) is computed again for each peer, and a change is queued;
 * 2. **sends** a peer its queued changes after the peer's cursor, in id order, and moves the cursor only when the
 *    peer acknowledged them. The receiver applies a change only if its id is newer than the one it holds for that
 *    holder, so a resend (after a crash or an outage of either side) changes nothing.
 *
 * Durable (every step is in the database), idempotent, ordered per holder, resumable.
 */
import { inTransaction, type Db } from '../db/database.ts';
import { signature, type ExchangedStatus } from './exchange.domain.ts';
import type { OutboxRow, StatusExchangeRepository } from './status-exchange.repository.ts';

/** Holders handled per round, and rows sent per call. */
export const EXCHANGE_BATCH = 500;

export interface ExchangeSide {
  /** The peers a holder's status goes to (a node: the hub; the hub: the provinces the holder confirmed at). */
  peersOf(personId: string): Promise<readonly string[]>;
  /** What this side tells `peer` about the holder now (without what that peer itself told us). */
  statusFor(personId: string, peer: string, now: Date): Promise<ExchangedStatus>;
  /** How long a non-green status sent stands before it is computed again without new evidence. */
  readonly reviewAfterMs: number;
}

export class StatusExchangeService {
  constructor(
    private readonly db: Db,
    private readonly repo: StatusExchangeRepository,
    private readonly side: ExchangeSide,
  ) {}

  /**
   * Computes the marked holders' (and the due reviews') statuses for each of their peers and queues what changed.
   * Runs until nothing is marked or `maxRounds` batches are done; returns how many changes it queued.
   */
  async sweep(now: Date, maxRounds = 20): Promise<number> {
    let queued = 0;
    for (let round = 0; round < maxRounds; round++) {
      const marked = await this.repo.dirty(this.db, EXCHANGE_BATCH);
      const due = await this.repo.dueForReview(
        this.db,
        now.getTime() - this.side.reviewAfterMs,
        EXCHANGE_BATCH,
      );
      if (marked.length === 0 && due.length === 0) break;
      for (const { personId, mark } of marked) queued += await this.exchange(personId, now, mark);
      for (const personId of due) queued += await this.exchange(personId, now);
      if (marked.length < EXCHANGE_BATCH && due.length < EXCHANGE_BATCH) break;
    }
    return queued;
  }

  /** One holder: for each peer, queue the status when it is news; then clear the mark that brought it here. */
  private async exchange(personId: string, now: Date, mark?: string): Promise<number> {
    const peers = await this.side.peersOf(personId);
    const computed = await Promise.all(
      peers.map(async (peer) => ({ peer, s: await this.side.statusFor(personId, peer, now) })),
    );
    return inTransaction(this.db, async (trx) => {
      let queued = 0;
      for (const { peer, s } of computed) {
        const last = await this.repo.state(trx, peer, personId);
        const sig = signature(s);
        if (last?.signature === sig) continue;
        // A holder never sent and still green has nothing to tell.
        const outboxId =
          last === undefined && s.colour === 'green'
            ? 0
            : await this.repo.enqueue(trx, {
                peer,
                personId,
                colour: s.colour,
                reasons: JSON.stringify(s.reasons),
                caseStatus: s.caseStatus ? JSON.stringify(s.caseStatus) : null,
                changedAt: now.getTime(),
              });
        if (outboxId > 0) queued++;
        await this.repo.putState(
          trx,
          peer,
          personId,
          { colour: s.colour, signature: sig, outboxId },
          now.getTime(),
        );
      }
      await this.repo.reviewed(trx, personId, now.getTime());
      if (mark !== undefined) await this.repo.clear(trx, personId, mark);
      return queued;
    });
  }

  /**
   * Sends `peer` its queued changes after its cursor (up to EXCHANGE_BATCH rows) through `send`, which resolves,
   * once the peer has acknowledged them, with how many rows from the first it sent (a request has a size limit:
   * exchange.domain.ts fitBatch), and throws when it could not; then moves the cursor past those. Returns how many
   * were sent.
   */
  async push(peer: string, send: (rows: readonly OutboxRow[]) => Promise<number>): Promise<number> {
    const rows = await this.repo.pendingFor(this.db, peer, EXCHANGE_BATCH);
    if (rows.length === 0) return 0;
    const covered = await send(rows);
    const last = rows[Math.min(rows.length, Math.max(1, covered)) - 1];
    if (!last) return 0;
    await this.repo.acknowledge(this.db, peer, last.id);
    return rows.indexOf(last) + 1;
  }

  /** The last change queued for a holder and peer (what a confirmation answers with at once). */
  async latest(personId: string, peer: string, now: Date): Promise<{ id: number; status: ExchangedStatus }> {
    await this.exchange(personId, now);
    const state = await this.repo.state(this.db, peer, personId);
    return { id: state?.outboxId ?? 0, status: await this.side.statusFor(personId, peer, now) };
  }

  /** Changes queued for a peer and not yet acknowledged. */
  pending(peer: string): Promise<number> {
    return this.repo.pendingCount(this.db, peer);
  }

  /** The peers with changes waiting. */
  peersWithPending(): Promise<string[]> {
    return this.repo.peersWithPending(this.db);
  }

  /** Holders marked and not yet swept. */
  marked(): Promise<number> {
    return this.repo.dirtyCount(this.db);
  }
}
