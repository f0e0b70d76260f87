/**
 * The purge's deletes (docs/operations.md#retention), each bounded: at most CHUNK rows per statement, found through
 * a key or an index, so that each transaction is short and the cost follows the rows removed, not the table's size.
 *
 * Feed evidence goes batch by batch, oldest batch first (`feed_batches_retention`, migration 0017): a batch's
 * manifest rows are one range of `seq` (their clustered key), its health events and telecom stays one `batch_id`
 * prefix of the primary key; nothing new is indexed on the evidence tables' write path.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

/** Rows per statement (and transaction). */
export const CHUNK = 5000;
/** Holders or tickets per statement where each brings a few rows. */
const KEYS_PER_CHUNK = 500;

export interface PendingBatch {
  readonly batchId: string;
  readonly receivedAt: number;
  readonly seqFrom: number | null;
  readonly seqTo: number | null;
}

const n = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);

/**
 * The tables whose rows go once one time column is past the cut-off, each with its key and that column (indexed, or
 * the table small). `access_events` is read in id order: its ids grow with time, so a chunk reads the oldest rows.
 */
const EXPIRING = {
  codes: { key: 'cti', time: 'expires_at' },
  sessions: { key: 'token_hash', time: 'expires_at' },
  consents: { key: 'token_hash', time: 'expires_at' },
  sign_in_challenges: { key: 'challenge_id', time: 'expires_at' },
  access_events: { key: 'id', time: 'at', inKeyOrder: true },
  checkpoint_lookups: { key: 'id', time: 'at' },
} as const satisfies {
  [T in keyof Database]?: { key: keyof Database[T]; time: keyof Database[T]; inKeyOrder?: true };
};
export type ExpiringTable = keyof typeof EXPIRING;

export class RetentionRepository {
  /**
   * Batches of `source` the purge has not finished, received before `beforeMs`, oldest first, after `after` (the
   * last of the previous page).
   */
  async pendingBatches(
    db: Db,
    source: string,
    beforeMs: number,
    after: { receivedAt: number; batchId: string } | undefined,
    limit: number,
  ): Promise<PendingBatch[]> {
    let q = db
      .selectFrom('feed_batches')
      .select(['batch_id', 'received_at', 'seq_from', 'seq_to'])
      .where('retention_done_at', 'is', null)
      .where('received_at', '<', beforeMs)
      .where('source', '=', source);
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb('received_at', '>', after.receivedAt),
          eb.and([eb('received_at', '=', after.receivedAt), eb('batch_id', '>', after.batchId)]),
        ]),
      );
    const rows = await q.orderBy('received_at').orderBy('batch_id').limit(limit).execute();
    return rows.map((r) => ({
      batchId: r.batch_id,
      receivedAt: r.received_at,
      seqFrom: r.seq_from,
      seqTo: r.seq_to,
    }));
  }

  async markBatchDone(db: Db, source: string, batchId: string, nowMs: number): Promise<void> {
    await db
      .updateTable('feed_batches')
      .set({ retention_done_at: nowMs })
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .execute();
  }

  /** Batches of sources whose records are kept (area risk: public data) need no purge: marked done at once. */
  async markKeptBatchesDone(
    db: Db,
    sources: readonly string[],
    beforeMs: number,
    nowMs: number,
  ): Promise<void> {
    await db
      .updateTable('feed_batches')
      .set({ retention_done_at: nowMs })
      .where('retention_done_at', 'is', null)
      .where('received_at', '<', beforeMs)
      .where('source', 'in', sources)
      .execute();
  }

  /** The batch's quarantined records (they may hold personal data): all of them. */
  async deleteQuarantine(db: Db, source: string, batchId: string): Promise<number> {
    return n(
      await db
        .deleteFrom('feed_quarantine')
        .where('source', '=', source)
        .where('batch_id', '=', batchId)
        .executeTakeFirst(),
    );
  }

  /**
   * A manifest batch's rows in [seqFrom, seqTo] dated before `beforeDate`, with the co-travel exposures found on
   * them (by `exposures_trip`).
   */
  async deleteManifests(
    db: Db,
    source: string,
    batchId: string,
    seqFrom: number,
    seqTo: number,
    beforeDate: string,
  ): Promise<number> {
    const ref = db
      .selectFrom('feed_batch_refs')
      .select('ref')
      .where('source', '=', source)
      .where('batch_id', '=', batchId);
    const old = db
      .selectFrom('manifests')
      .select('seq')
      .where('seq', '>=', seqFrom)
      .where('seq', '<=', seqTo)
      .where('batch_ref', '=', ref)
      .where('trip_date', '<', beforeDate);
    await db.deleteFrom('exposures').where('trip_seq', 'in', old).execute();
    return n(
      await db
        .deleteFrom('manifests')
        .where('seq', '>=', seqFrom)
        .where('seq', '<=', seqTo)
        .where('batch_ref', '=', ref)
        .where('trip_date', '<', beforeDate)
        .executeTakeFirst(),
    );
  }

  async manifestsLeft(db: Db, seqFrom: number, seqTo: number): Promise<number> {
    const r = await db
      .selectFrom('manifests')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('seq', '>=', seqFrom)
      .where('seq', '<=', seqTo)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * The health events before `beforeMs` of the holders named on lines [lineFrom, lineTo) of the batch, each only
   * when it decides nothing: a holder's newest event decides their case status (src/risk/evidence.ts `latest`,
   * among the events not corrected), so an event goes only when a later uncorrected one exists (in any batch), or
   * when its owner corrected it (it is evidence no more).
   */
  async deleteSupersededHealthEvents(
    db: Db,
    batchId: string,
    lineFrom: number,
    lineTo: number,
    beforeMs: number,
  ): Promise<number> {
    const holders = db
      .selectFrom('health_events')
      .select('doc_hash')
      .where('batch_id', '=', batchId)
      .where('line', '>=', lineFrom)
      .where('line', '<', lineTo);
    return n(
      await db
        .deleteFrom('health_events as h')
        .where('h.doc_hash', 'in', holders)
        .where('h.at', '<', beforeMs)
        .where((eb) =>
          eb.or([
            eb('h.corrected_at', 'is not', null),
            eb.exists(
              eb
                .selectFrom('health_events as later')
                .select(sql.lit(1).as('one'))
                .whereRef('later.doc_hash', '=', 'h.doc_hash')
                .whereRef('later.at', '>', 'h.at')
                .where('later.corrected_at', 'is', null),
            ),
          ]),
        )
        .executeTakeFirst(),
    );
  }

  /** The trips of a health batch's cases dated before `beforeDate` (the seeds of co-travel exposures). */
  async deleteCaseTrips(db: Db, batchId: string, beforeDate: string): Promise<number> {
    return n(
      await db
        .deleteFrom('case_trips')
        .where('case_batch_id', '=', batchId)
        .where('trip_date', '<', beforeDate)
        .executeTakeFirst(),
    );
  }

  /** A telecom batch's stays on lines [lineFrom, lineTo) last seen before `beforeMs`. */
  async deleteTelecomStays(
    db: Db,
    batchId: string,
    lineFrom: number,
    lineTo: number,
    beforeMs: number,
  ): Promise<number> {
    return n(
      await db
        .deleteFrom('telecom_stays')
        .where('batch_id', '=', batchId)
        .where('line', '>=', lineFrom)
        .where('line', '<', lineTo)
        .where('last_seen', '<', beforeMs)
        .executeTakeFirst(),
    );
  }

  /** The highest line of the batch's rows in a table keyed by (batch_id, line); -1 when none is left. */
  async lastLine(db: Db, table: 'health_events' | 'telecom_stays', batchId: string): Promise<number> {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.max('line').as('last'))
      .where('batch_id', '=', batchId)
      .executeTakeFirst();
    return r?.last ?? -1;
  }

  async telecomStaysLeft(db: Db, batchId: string): Promise<number> {
    const r = await db
      .selectFrom('telecom_stays')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('batch_id', '=', batchId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * Up to CHUNK status entries that ended (by an operator, or at their `valid_until`) before `beforeMs`, found among
   * those created before it (`status_entries_created`): operators' entries are few.
   */
  async deleteEndedStatusEntries(db: Db, beforeMs: number): Promise<number> {
    const some = db
      .selectFrom('status_entries')
      .select('entry_id')
      .where('created_at', '<', beforeMs)
      .where((eb) =>
        eb.or([
          eb.and([eb('ended_at', 'is not', null), eb('ended_at', '<', beforeMs)]),
          eb.and([eb('valid_until', 'is not', null), eb('valid_until', '<', beforeMs)]),
        ]),
      )
      .limit(CHUNK);
    return n(await db.deleteFrom('status_entries').where('entry_id', 'in', some).executeTakeFirst());
  }

  /**
   * Up to CHUNK rows of a table in EXPIRING whose time column is before `beforeMs`: codes that expired, sessions,
   * consents and sign-in challenges past their expiry, access history and checkpoint look-ups past their window.
   */
  async deleteBefore(db: Db, table: ExpiringTable, beforeMs: number): Promise<number> {
    const e: { key: string; time: string; inKeyOrder?: true } = EXPIRING[table];
    const order = e.inKeyOrder ? sql`order by ${sql.ref(e.key)}` : sql``;
    const r = await sql`delete from ${sql.table(table)} where ${sql.ref(e.key)} in (
      select ${sql.ref(e.key)} from ${sql.table(table)} where ${sql.ref(e.time)} < ${beforeMs}
      ${order} limit ${CHUNK})`.execute(db);
    return Number(r.numAffectedRows ?? 0n);
  }

  /**
   * Status changes a peer has acknowledged (at or before its cursor) that changed before `beforeMs`: sent, and kept
   * no longer than the evidence behind them. A peer that never acknowledged keeps all of its rows.
   */
  async deleteAcknowledgedOutbox(db: Db, beforeMs: number): Promise<number> {
    const some = db
      .selectFrom('exchange_outbox as o')
      .innerJoin('exchange_cursors as c', 'c.peer', 'o.peer')
      .select('o.id')
      .whereRef('o.id', '<=', 'c.acked_id')
      .where('o.changed_at', '<', beforeMs)
      .limit(CHUNK);
    return n(await db.deleteFrom('exchange_outbox').where('id', 'in', some).executeTakeFirst());
  }

  async cursor(db: Db, kind: string): Promise<string | undefined> {
    const r = await db
      .selectFrom('retention_cursors')
      .select('position')
      .where('kind', '=', kind)
      .executeTakeFirst();
    return r?.position;
  }

  async setCursor(db: Db, kind: string, position: string): Promise<void> {
    await db
      .insertInto('retention_cursors')
      .values({ kind, position })
      .onConflict((oc) => oc.column('kind').doUpdateSet({ position }))
      .execute();
  }

  /**
   * The next modifications made before `beforeDate`, after `after` (date and person), in that order (by
   * `declarations_modified`): at most KEYS_PER_CHUNK.
   */
  async modificationsAfter(
    db: Db,
    after: { date: string; personId: string },
    beforeDate: string,
  ): Promise<{ date: string; personId: string }[]> {
    const rows = await db
      .selectFrom('declarations')
      .select(['modified_on', 'person_id'])
      .where('modified_on', 'is not', null)
      .where('modified_on', '<', beforeDate)
      .where(sql<boolean>`(modified_on, person_id) > (${after.date}, ${after.personId})`)
      .orderBy('modified_on')
      .orderBy('person_id')
      .limit(KEYS_PER_CHUNK)
      .execute();
    return rows.map((r) => ({ date: r.modified_on ?? '', personId: r.person_id }));
  }

  /** These holders' declaration versions that a modification made before `beforeDate` replaced. */
  async deleteReplacedVersions(db: Db, personIds: readonly string[], beforeDate: string): Promise<number> {
    if (personIds.length === 0) return 0;
    return n(
      await db
        .deleteFrom('declarations as d')
        .where('d.person_id', 'in', personIds)
        .where((eb) =>
          eb(
            'd.version',
            '<',
            eb
              .selectFrom('declarations as later')
              .select((e) => e.fn.max('later.version').as('v'))
              .whereRef('later.person_id', '=', 'd.person_id')
              .where('later.modified_on', 'is not', null)
              .where('later.modified_on', '<', beforeDate),
          ),
        )
        .executeTakeFirst(),
    );
  }

  /** Up to KEYS_PER_CHUNK tickets closed (last changed) before `beforeMs`. */
  async closedTickets(db: Db, beforeMs: number): Promise<string[]> {
    const rows = await db
      .selectFrom('tickets')
      .select('ticket_id')
      .where('state', '=', 'closed')
      .where('updated_at', '<', beforeMs)
      .limit(KEYS_PER_CHUNK)
      .execute();
    return rows.map((r) => r.ticket_id);
  }

  /** The tickets with their events, attachments and notifications; returns the tickets removed. */
  async deleteTickets(db: Db, ticketIds: readonly string[]): Promise<number> {
    if (ticketIds.length === 0) return 0;
    await db.deleteFrom('ticket_events').where('ticket_id', 'in', ticketIds).execute();
    await db.deleteFrom('ticket_attachments').where('ticket_id', 'in', ticketIds).execute();
    await db.deleteFrom('holder_notifications').where('ticket_id', 'in', ticketIds).execute();
    return n(await db.deleteFrom('tickets').where('ticket_id', 'in', ticketIds).executeTakeFirst());
  }
}
