/**
 * A provincial node's status pushes (docs/federation.md#status-deltas): its residents' status changes go to the
 * hub as batched deltas with increasing ids, retried until the hub accepts them; the hub applies each id once, so
 * a batch sent twice changes nothing. Changes are found by a sweep over the residents whose status snapshot new
 * evidence dropped (or whose non-green snapshot has run out, since windows close): their status is recomputed,
 * and a change of colour or of its first reason is queued.
 */
import { inTransaction, type Db } from '../db/database.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { StatusService } from '../status/status.service.ts';
import type { SignedClient } from '../federation/signed-client.ts';
import type { QueuedDelta, StatusOutboxRepository } from './status-outbox.repository.ts';

/** Most residents recomputed, and most deltas sent, per round. */
export const OUTBOX_BATCH = 500;

export class StatusOutboxService {
  constructor(
    private readonly db: Db,
    private readonly outbox: StatusOutboxRepository,
    private readonly persons: PersonsRepository,
    private readonly status: StatusService,
  ) {}

  /** Recomputes the status of declared residents with no fresh snapshot; queues what changed, in one transaction. */
  async sweep(now: Date): Promise<number> {
    const queued: QueuedDelta[] = [];
    for (const personId of await this.outbox.stale(this.db, now.getTime(), OUTBOX_BATCH)) {
      const s = await this.status.current(personId, now);
      const first = s.reasons[0];
      const reasonCode = first?.code ?? 'NO_ABNORMALITY';
      const last = await this.outbox.last(this.db, personId);
      if (last?.colour === s.colour && last.reasonCode === reasonCode) continue;
      // A resident never pushed and still green has nothing to tell the hub.
      if (last === undefined && s.colour === 'green') continue;
      queued.push({
        personId,
        colour: s.colour,
        reasonCode,
        reasonText: first?.text ?? '未见异常',
        reasonTextEn: first?.textEn ?? 'No abnormality found',
        changedAt: now.getTime(),
      });
    }
    if (queued.length > 0)
      await inTransaction(this.db, async (trx) => {
        for (const d of queued) await this.outbox.queue(trx, d);
      });
    return queued.length;
  }

  /** Sends the oldest unsent deltas; marks them sent when the hub answered. Throws when it could not. */
  async push(hub: SignedClient, now: Date): Promise<{ sent: number; rejected: number }> {
    const rows = await this.outbox.unsent(this.db, OUTBOX_BATCH);
    if (rows.length === 0) return { sent: 0, rejected: 0 };
    const deltas = [];
    for (const r of rows) {
      const p = await this.persons.get(this.db, r.person_id);
      if (!p) continue;
      deltas.push({
        id: r.id,
        documentType: p.documentType,
        documentNumber: p.documentNumber,
        nationality: p.nationality,
        colour: r.colour,
        reasonCode: r.reason_code,
        reasonText: r.reason_text,
        reasonTextEn: r.reason_text_en,
        changedAt: new Date(r.changed_at).toISOString(),
      });
    }
    const res = await hub.call('POST', '/api/v1/federation/status-deltas', { deltas });
    if (res.status !== 200)
      throw new Error(`the hub refused the status deltas: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    const rejected = (res.body as { rejected?: unknown[] } | null)?.rejected?.length ?? 0;
    await this.outbox.markSent(
      this.db,
      rows.map((r) => r.id),
      now.getTime(),
    );
    return { sent: rows.length, rejected };
  }

  pending(): Promise<number> {
    return this.outbox.pending(this.db);
  }
}
