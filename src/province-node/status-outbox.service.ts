/**
 * A provincial node's status pushes (issue 4): its residents' status changes go to the hub as batched deltas
 * with increasing ids, retried until the hub accepts them; the hub applies each id once, so a batch sent twice
 * changes nothing. Changes are found by a sweep over the residents whose status snapshot new evidence dropped
 * (or whose non-green snapshot has run out, since windows close): their status is recomputed, and a change of
 * colour or of its first reason is queued.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { StatusService } from '../status/status.service.ts';
import type { SignedClient } from '../federation/signed-client.ts';

/** Most residents recomputed, and most deltas sent, per round. */
export const OUTBOX_BATCH = 500;

export class StatusOutbox {
  constructor(
    private readonly db: Db,
    private readonly persons: PersonsRepository,
    private readonly status: StatusService,
  ) {}

  /** Recomputes the status of declared residents with no fresh snapshot; queues what changed. */
  async sweep(now: Date): Promise<number> {
    const nowMs = now.getTime();
    const stale = await this.db
      .selectFrom('persons as p')
      .select('p.person_id')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('declarations as d')
            .select(sql`1`.as('one'))
            .whereRef('d.person_id', '=', 'p.person_id'),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('status_snapshots as s')
              .select(sql`1`.as('one'))
              .whereRef('s.person_id', '=', 'p.person_id')
              .where((w) => w.or([w('s.expires_at', '>', nowMs), w('s.colour', '=', 'green')])),
          ),
        ),
      )
      .limit(OUTBOX_BATCH)
      .execute();
    let queued = 0;
    for (const { person_id: personId } of stale) {
      const s = await this.status.current(personId, now);
      const first = s.reasons[0];
      const last = await this.db
        .selectFrom('status_outbox')
        .select(['colour', 'reason_code'])
        .where('person_id', '=', personId)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const reasonCode = first?.code ?? 'NO_ABNORMALITY';
      if (last?.colour === s.colour && last.reason_code === reasonCode) continue;
      // A resident never pushed and still green has nothing to tell the hub.
      if (last === undefined && s.colour === 'green') continue;
      await this.db
        .insertInto('status_outbox')
        .values({
          person_id: personId,
          colour: s.colour,
          reason_code: reasonCode,
          reason_text: first?.text ?? '未见异常',
          reason_text_en: first?.textEn ?? 'No abnormality found',
          changed_at: nowMs,
          sent_at: null,
        })
        .execute();
      queued += 1;
    }
    return queued;
  }

  /** Sends the oldest unsent deltas; marks them sent when the hub answered. Throws when it could not. */
  async push(hub: SignedClient, now: Date): Promise<{ sent: number; rejected: number }> {
    const rows = await this.db
      .selectFrom('status_outbox')
      .selectAll()
      .where('sent_at', 'is', null)
      .orderBy('id')
      .limit(OUTBOX_BATCH)
      .execute();
    if (rows.length === 0) return { sent: 0, rejected: 0 };
    const deltas = [];
    for (const r of rows) {
      const p = await this.persons.get(r.person_id);
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
    await this.db
      .updateTable('status_outbox')
      .set({ sent_at: now.getTime() })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return { sent: rows.length, rejected };
  }

  async pending(): Promise<number> {
    const row = await this.db
      .selectFrom('status_outbox')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('sent_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
