/**
 * The status exchange's tables (migration 0010): dirty marks, what each peer was last sent, the outbox per peer
 * and each peer's cursor. Dirty marks are set where a holder's snapshot is dropped, in the same transaction
 * (status/status-snapshots.repository.ts), limited to the holders this side exchanges (the scope).
 */
import { randomUUID } from 'node:crypto';
import type { Colour } from '../codec/token.ts';
import type { Db } from '../db/database.ts';
import type { ExchangeOutboxTable } from '../db/schema.ts';
import { sql, type Selectable } from 'kysely';

/** Whose marks are kept: every holder (a node's), or those a province holds (the hub's). */
export type ExchangeScope = 'all' | 'province-holders';

export type OutboxRow = Selectable<ExchangeOutboxTable>;

export interface PeerState {
  readonly colour: Colour;
  readonly signature: string;
  readonly outboxId: number;
}

export class StatusExchangeRepository {
  constructor(private readonly scope: ExchangeScope) {}

  /** The persons (alias `p`) in scope, narrowed by `where`. */
  private inScope(db: Db) {
    const q = db
      .selectFrom('persons as p')
      // Typed, so that PostgreSQL knows the parameter's type in a select list.
      .select(['p.person_id', sql<string>`cast(${randomUUID()} as text)`.as('mark')]);
    return this.scope === 'all'
      ? q
      : q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('province_holders as h')
              .select('h.province')
              .whereRef('h.doc_hash', '=', 'p.document_hash'),
          ),
        );
  }

  private async markSelected(db: Db, select: ReturnType<StatusExchangeRepository['inScope']>): Promise<void> {
    await db
      .insertInto('status_dirty')
      .columns(['person_id', 'mark'])
      .expression(select)
      .onConflict((oc) => oc.column('person_id').doUpdateSet((eb) => ({ mark: eb.ref('excluded.mark') })))
      .execute();
  }

  async mark(db: Db, personIds: readonly string[]): Promise<void> {
    for (let i = 0; i < personIds.length; i += 500)
      await this.markSelected(db, this.inScope(db).where('p.person_id', 'in', personIds.slice(i, i + 500)));
  }

  async markByHashes(
    db: Db,
    documentHashes: readonly string[],
    phoneHashes: readonly string[],
  ): Promise<void> {
    for (let i = 0; i < Math.max(documentHashes.length, phoneHashes.length); i += 500) {
      const docs = documentHashes.slice(i, i + 500);
      const phones = phoneHashes.slice(i, i + 500);
      await this.markSelected(
        db,
        this.inScope(db).where((w) =>
          w.or([
            w('p.document_hash', 'in', docs.length > 0 ? docs : ['']),
            w('p.phone_hash', 'in', phones.length > 0 ? phones : ['']),
          ]),
        ),
      );
    }
  }

  /** Everyone the cases of a health batch exposed. */
  async markExposedBy(db: Db, caseBatchId: string): Promise<void> {
    await this.markSelected(
      db,
      this.inScope(db).where((eb) =>
        eb.exists(
          eb
            .selectFrom('exposures as e')
            .select('e.doc_hash')
            .whereRef('e.doc_hash', '=', 'p.document_hash')
            .where('e.case_batch_id', '=', caseBatchId),
        ),
      ),
    );
  }

  async markAll(db: Db): Promise<void> {
    await this.markSelected(db, this.inScope(db));
  }

  async dirty(db: Db, limit: number): Promise<{ personId: string; mark: string }[]> {
    const rows = await db.selectFrom('status_dirty').selectAll().limit(limit).execute();
    return rows.map((r) => ({ personId: r.person_id, mark: r.mark }));
  }

  /** Clears a mark, unless the holder was marked again since it was read. */
  async clear(db: Db, personId: string, mark: string): Promise<void> {
    await db.deleteFrom('status_dirty').where('person_id', '=', personId).where('mark', '=', mark).execute();
  }

  async dirtyCount(db: Db): Promise<number> {
    const row = await db
      .selectFrom('status_dirty')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Holders last sent a colour other than green and not reviewed since `beforeMs`: time may have changed it. */
  async dueForReview(db: Db, beforeMs: number, limit: number): Promise<string[]> {
    const rows = await db
      .selectFrom('exchange_state')
      .select('person_id')
      .distinct()
      .where('colour', '!=', 'green')
      .where('reviewed_at', '<', beforeMs)
      .limit(limit)
      .execute();
    return rows.map((r) => r.person_id);
  }

  async state(db: Db, peer: string, personId: string): Promise<PeerState | undefined> {
    const r = await db
      .selectFrom('exchange_state')
      .select(['colour', 'signature', 'outbox_id'])
      .where('peer', '=', peer)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    return r && { colour: r.colour, signature: r.signature, outboxId: r.outbox_id };
  }

  async putState(db: Db, peer: string, personId: string, s: PeerState, reviewedAt: number): Promise<void> {
    const values = {
      colour: s.colour,
      signature: s.signature,
      outbox_id: s.outboxId,
      reviewed_at: reviewedAt,
    };
    await db
      .insertInto('exchange_state')
      .values({ peer, person_id: personId, ...values })
      .onConflict((oc) => oc.columns(['peer', 'person_id']).doUpdateSet(values))
      .execute();
  }

  async reviewed(db: Db, personId: string, reviewedAt: number): Promise<void> {
    await db
      .updateTable('exchange_state')
      .set({ reviewed_at: reviewedAt })
      .where('person_id', '=', personId)
      .execute();
  }

  async enqueue(
    db: Db,
    row: {
      peer: string;
      personId: string;
      colour: Colour;
      reasons: string;
      caseStatus: string | null;
      changedAt: number;
    },
  ): Promise<number> {
    const r = await db
      .insertInto('exchange_outbox')
      .values({
        peer: row.peer,
        person_id: row.personId,
        colour: row.colour,
        reasons: row.reasons,
        case_status: row.caseStatus,
        changed_at: row.changedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** A peer's rows after its cursor, oldest first. */
  async pendingFor(db: Db, peer: string, limit: number): Promise<OutboxRow[]> {
    const acked = await this.cursor(db, peer);
    return db
      .selectFrom('exchange_outbox')
      .selectAll()
      .where('peer', '=', peer)
      .where('id', '>', acked)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async pendingCount(db: Db, peer: string): Promise<number> {
    const acked = await this.cursor(db, peer);
    const row = await db
      .selectFrom('exchange_outbox')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('peer', '=', peer)
      .where('id', '>', acked)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The peers with rows after their cursor. */
  async peersWithPending(db: Db): Promise<string[]> {
    const rows = await db
      .selectFrom('exchange_outbox as o')
      .leftJoin('exchange_cursors as c', 'c.peer', 'o.peer')
      .select('o.peer')
      .distinct()
      .where((eb) => eb.or([eb('c.acked_id', 'is', null), eb('o.id', '>', eb.ref('c.acked_id'))]))
      .execute();
    return rows.map((r) => r.peer);
  }

  async cursor(db: Db, peer: string): Promise<number> {
    const r = await db
      .selectFrom('exchange_cursors')
      .select('acked_id')
      .where('peer', '=', peer)
      .executeTakeFirst();
    return r?.acked_id ?? 0;
  }

  /** Moves a peer's cursor forward (never back). */
  async acknowledge(db: Db, peer: string, ackedId: number): Promise<void> {
    await db
      .insertInto('exchange_cursors')
      .values({ peer, acked_id: ackedId })
      .onConflict((oc) =>
        oc.column('peer').doUpdateSet({ acked_id: ackedId }).where('exchange_cursors.acked_id', '<', ackedId),
      )
      .execute();
  }
}
