/**
 * The ticket workflow's rows (Q5, Q7, Q10; docs/corrections.md): a holder's correction or non-recognition report,
 * routed to its owner, with every transition kept. What the holder wrote and every reason given are encrypted,
 * with the ticket's id (and the event's) as associated data.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { TicketsTable } from '../db/schema.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import { OPEN_STATES, type State } from './workflow.domain.ts';

export type TicketKind = 'non-recognition' | 'correction';

export interface Ticket<D> {
  readonly ticketId: string;
  readonly kind: TicketKind;
  readonly personId: string;
  /** The provincial unit whose part it is ('' when none). */
  readonly province: string;
  readonly region: string;
  readonly details: D;
  readonly state: State;
  /** workflow.domain.ts ownerId. */
  readonly owner: string;
  readonly answer: string | null;
  readonly reopenCount: number;
  readonly dueAt: number | null;
  readonly escalatedAt: number | null;
  readonly firstAnswerAt: number | null;
  readonly resolvedAt: number | null;
  readonly evidenceKey: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TicketEvent {
  readonly at: number;
  readonly actor: string;
  readonly from: State | null;
  readonly to: State;
  readonly reason: string | null;
}

/** What a move changes besides the state (undefined: unchanged). */
export interface TicketChange {
  readonly state: State;
  readonly dueAt: number | null;
  readonly answer?: string;
  readonly reopenCount?: number;
  readonly escalatedAt?: number | null;
  readonly firstAnswerAt?: number;
  readonly resolvedAt?: number | null;
}

/** A queue's filter: owners (undefined: all), kind, states, only the escalated ones. */
export interface QueueFilter {
  readonly owners?: readonly string[];
  readonly kind?: TicketKind;
  readonly states?: readonly State[];
  readonly escalated?: boolean;
}

type TicketRow = Selectable<TicketsTable>;

const LIST_LIMIT = 1000;

export class TicketsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  private toTicket<D>(r: TicketRow): Ticket<D> {
    return {
      ticketId: r.ticket_id,
      kind: r.kind as TicketKind,
      personId: r.person_id,
      province: r.province,
      region: r.region,
      details: JSON.parse(this.cipher.decrypt(r.details_enc, `tickets.details:${r.ticket_id}`)) as D,
      state: r.state,
      owner: r.owner,
      answer: r.answer,
      reopenCount: r.reopen_count,
      dueAt: r.due_at,
      escalatedAt: r.escalated_at,
      firstAnswerAt: r.first_answer_at,
      resolvedAt: r.resolved_at,
      evidenceKey: r.evidence_key,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  async open<D>(
    db: Db,
    t: {
      kind: TicketKind;
      personId: string;
      province: string;
      region: string;
      details: D;
      owner: string;
      state: State;
      dueAt: number | null;
      evidenceKey: string | null;
    },
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
      state: t.state,
      owner: t.owner,
      answer: null,
      reopen_count: 0,
      due_at: t.dueAt,
      escalated_at: null,
      first_answer_at: null,
      resolved_at: null,
      evidence_key: t.evidenceKey,
      created_at: nowMs,
      updated_at: nowMs,
    };
    await db.insertInto('tickets').values(row).execute();
    return this.toTicket(row);
  }

  async get<D>(db: Db, ticketId: string): Promise<Ticket<D> | undefined> {
    const row = await db
      .selectFrom('tickets')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return row && this.toTicket<D>(row);
  }

  /** A holder's tickets of one kind, newest first. */
  async ofPerson<D>(db: Db, personId: string, kind: TicketKind): Promise<Ticket<D>[]> {
    const rows = await db
      .selectFrom('tickets')
      .selectAll()
      .where('person_id', '=', personId)
      .where('kind', '=', kind)
      .orderBy('created_at', 'desc')
      .limit(LIST_LIMIT)
      .execute();
    return rows.map((r) => this.toTicket<D>(r));
  }

  /** The holder's open ticket on a record, if any (a second dispute of it joins this one). */
  async openOn<D>(db: Db, personId: string, evidenceKey: string): Promise<Ticket<D> | undefined> {
    const row = await db
      .selectFrom('tickets')
      .selectAll()
      .where('person_id', '=', personId)
      .where('evidence_key', '=', evidenceKey)
      .where('state', 'in', [...OPEN_STATES])
      .executeTakeFirst();
    return row && this.toTicket<D>(row);
  }

  /** How many of a holder's tickets of a kind are open; and how many they opened since `sinceMs`. */
  async counts(
    db: Db,
    personId: string,
    kind: TicketKind,
    sinceMs: number,
  ): Promise<{ open: number; since: number }> {
    const rows = await db
      .selectFrom('tickets')
      .select(['state', 'created_at'])
      .where('person_id', '=', personId)
      .where('kind', '=', kind)
      .where((eb) => eb.or([eb('state', 'in', [...OPEN_STATES]), eb('created_at', '>=', sinceMs)]))
      .execute();
    return {
      open: rows.filter((r) => OPEN_STATES.includes(r.state)).length,
      since: rows.filter((r) => r.created_at >= sinceMs).length,
    };
  }

  /** The tickets a queue shows, oldest first (at most LIST_LIMIT). */
  async queue<D>(db: Db, f: QueueFilter): Promise<Ticket<D>[]> {
    let q = db.selectFrom('tickets').selectAll();
    if (f.owners !== undefined) {
      if (f.owners.length === 0) return [];
      q = q.where('owner', 'in', [...f.owners]);
    }
    if (f.kind !== undefined) q = q.where('kind', '=', f.kind);
    if (f.states !== undefined) q = q.where('state', 'in', [...f.states]);
    if (f.escalated === true) q = q.where('escalated_at', 'is not', null);
    const rows = await q.orderBy('created_at').limit(LIST_LIMIT).execute();
    return rows.map((r) => this.toTicket<D>(r));
  }

  /**
   * Moves a ticket that is still in `from` (so two owners deciding at once cannot both win); false when it no
   * longer is.
   */
  async move(db: Db, ticketId: string, from: State, c: TicketChange, nowMs: number): Promise<boolean> {
    const r = await db
      .updateTable('tickets')
      .set({
        state: c.state,
        due_at: c.dueAt,
        updated_at: nowMs,
        ...(c.answer === undefined ? {} : { answer: c.answer }),
        ...(c.reopenCount === undefined ? {} : { reopen_count: c.reopenCount }),
        ...(c.escalatedAt === undefined ? {} : { escalated_at: c.escalatedAt }),
        ...(c.firstAnswerAt === undefined ? {} : { first_answer_at: c.firstAnswerAt }),
        ...(c.resolvedAt === undefined ? {} : { resolved_at: c.resolvedAt }),
      })
      .where('ticket_id', '=', ticketId)
      .where('state', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Marks a ticket escalated (once); false when it already was. */
  async escalate(db: Db, ticketId: string, nowMs: number): Promise<boolean> {
    const r = await db
      .updateTable('tickets')
      .set({ escalated_at: nowMs, updated_at: nowMs })
      .where('ticket_id', '=', ticketId)
      .where('escalated_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Open tickets past their deadline and not yet escalated; decided ones past theirs (they close). */
  async due(db: Db, nowMs: number, states: readonly State[], limit: number): Promise<Ticket<unknown>[]> {
    let q = db
      .selectFrom('tickets')
      .selectAll()
      .where('state', 'in', [...states])
      .where('due_at', '<=', nowMs);
    if (states.some((s) => OPEN_STATES.includes(s))) q = q.where('escalated_at', 'is', null);
    const rows = await q.orderBy('due_at').limit(limit).execute();
    return rows.map((r) => this.toTicket<unknown>(r));
  }

  async addEvent(
    db: Db,
    e: { ticketId: string; actor: string; from: State | null; to: State; reason: string | null },
    nowMs: number,
  ): Promise<void> {
    await db
      .insertInto('ticket_events')
      .values({
        ticket_id: e.ticketId,
        at: nowMs,
        actor: e.actor,
        from_state: e.from,
        to_state: e.to,
        reason_enc:
          e.reason === null ? null : this.cipher.encrypt(e.reason, `ticket_events.reason:${e.ticketId}`),
      })
      .execute();
  }

  /** A ticket's transitions, oldest first. */
  async events(db: Db, ticketId: string): Promise<TicketEvent[]> {
    const rows = await db
      .selectFrom('ticket_events')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      at: r.at,
      actor: r.actor,
      from: r.from_state as State | null,
      to: r.to_state as State,
      reason:
        r.reason_enc === null
          ? null
          : this.cipher.decrypt(r.reason_enc, `ticket_events.reason:${r.ticket_id}`),
    }));
  }

  /** What the oversight figures are computed from: every ticket of a kind, its owner, times and state. */
  oversightRows(db: Db, kind: TicketKind, owners?: readonly string[]) {
    let q = db
      .selectFrom('tickets')
      .select(['owner', 'state', 'created_at', 'first_answer_at', 'resolved_at', 'due_at', 'escalated_at'])
      .where('kind', '=', kind);
    if (owners !== undefined) q = q.where('owner', 'in', owners.length > 0 ? [...owners] : ['']);
    return q.execute();
  }
}
