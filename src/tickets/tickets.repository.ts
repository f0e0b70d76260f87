/**
 * The shared ticket workflow's rows (Q7, Q10): a holder's report, routed to the authority of a provincial unit,
 * kept until answered. What the holder wrote is encrypted with the ticket's id as associated data.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { TicketsTable } from '../db/schema.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';

export type TicketKind = 'non-recognition';
export type TicketStatus = TicketsTable['status'];

export interface Ticket<D> {
  readonly ticketId: string;
  readonly kind: TicketKind;
  readonly province: string;
  readonly region: string;
  readonly details: D;
  readonly status: TicketStatus;
  readonly answer: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

type TicketRow = Selectable<TicketsTable>;

export class TicketsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  private toTicket<D>(r: TicketRow): Ticket<D> {
    return {
      ticketId: r.ticket_id,
      kind: r.kind as TicketKind,
      province: r.province,
      region: r.region,
      details: JSON.parse(this.cipher.decrypt(r.details_enc, `tickets.details:${r.ticket_id}`)) as D,
      status: r.status,
      answer: r.answer,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  async open<D>(
    db: Db,
    t: { kind: TicketKind; personId: string; province: string; region: string; details: D },
    nowMs: number,
  ): Promise<Ticket<D>> {
    const ticketId = randomUUID();
    const row: TicketRow = {
      ticket_id: ticketId,
      kind: t.kind,
      person_id: t.personId,
      province: t.province,
      region: t.region,
      details_enc: this.cipher.encrypt(JSON.stringify(t.details), `tickets.details:${ticketId}`),
      status: 'open',
      answer: null,
      created_at: nowMs,
      updated_at: nowMs,
    };
    await db.insertInto('tickets').values(row).execute();
    return this.toTicket(row);
  }

  async ofPerson<D>(db: Db, personId: string): Promise<Ticket<D>[]> {
    const rows = await db
      .selectFrom('tickets')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => this.toTicket<D>(r));
  }

  /** A province's tickets (its authority's queue), optionally only those with one status. */
  async ofProvince<D>(db: Db, province: string, status?: TicketStatus): Promise<Ticket<D>[]> {
    let q = db.selectFrom('tickets').selectAll().where('province', '=', province);
    if (status !== undefined) q = q.where('status', '=', status);
    const rows = await q.orderBy('created_at').execute();
    return rows.map((r) => this.toTicket<D>(r));
  }

  /** Every province's tickets (the national operators' view), optionally only those with one status. */
  async all<D>(db: Db, status?: TicketStatus): Promise<Ticket<D>[]> {
    let q = db.selectFrom('tickets').selectAll();
    if (status !== undefined) q = q.where('status', '=', status);
    const rows = await q.orderBy('created_at').execute();
    return rows.map((r) => this.toTicket<D>(r));
  }

  async get<D>(db: Db, ticketId: string): Promise<Ticket<D> | undefined> {
    const row = await db
      .selectFrom('tickets')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return row && this.toTicket<D>(row);
  }

  /** Records the answer to a ticket; false when there is no such ticket. */
  async answer(db: Db, ticketId: string, answer: string, nowMs: number): Promise<boolean> {
    const r = await db
      .updateTable('tickets')
      .set({ status: 'answered', answer, updated_at: nowMs })
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
