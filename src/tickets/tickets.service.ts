/**
 * The ticket workflow (docs/corrections.md), one service for every entry point and both kinds of ticket —
 * corrections (我要纠错) and non-recognition reports: a holder opens a ticket, it is routed to its owner, the owner
 * takes it in review and decides, the holder may reopen it once; each stage has a deadline, past which the ticket is
 * escalated to the national operators. Every transition is kept (who, when, why) and queued for the holder's
 * notification in the same transaction. An owner sees only its own tickets: another's is as good as unknown.
 */
import type { Actor } from '../access/actor.ts';
import { actorOf, appendFacts } from '../audit/audited.ts';
import { inTransaction, type Db } from '../db/database.ts';
import { AppError, requiredText } from '../errors/app-error.ts';
import type { ErrorCode } from '../errors/registry.ts';
import type { HolderNotificationsRepository } from '../notifications/holder-notifications.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { NonRecognition } from './non-recognition.ts';
import type {
  QueueFilter,
  Ticket,
  TicketEvent,
  TicketKind,
  TicketsRepository,
} from './tickets.repository.ts';
import {
  allowed,
  DECIDED_STATES,
  dueAt,
  median,
  OPEN_STATES,
  ownerId,
  owns,
  parseOwnerId,
  stateAfter,
  type Deadlines,
  type Move,
  type Owner,
  type State,
} from './workflow.domain.ts';

/** Longest answer or reason, at every entry point. */
export const ANSWER_MAX = 2000;

/** Tickets handled per sweep round. */
const SWEEP_BATCH = 500;

/** The actor the sweep acts as (escalations, closing decided tickets). */
export const SYSTEM_ACTOR = 'system';

/** Per owner: what the oversight shows (docs/corrections.md#oversight). */
export interface OwnerFigures {
  readonly owner: string;
  readonly total: number;
  readonly open: number;
  readonly overdue: number;
  readonly escalated: number;
  /** Median time from opening to the owner's first answer, and to the decision (ms; null: none yet). */
  readonly medianFirstAnswerMs: number | null;
  readonly medianResolutionMs: number | null;
}

/** The owners whose tickets an actor sees: every one (undefined) or theirs. */
export function ownersOf(actor: Actor): string[] | undefined {
  switch (actor.role) {
    case 'operator':
      return undefined;
    case 'province':
      return [ownerId({ kind: 'province', province: actor.province })];
    case 'department':
      return [ownerId({ kind: 'department', source: actor.source, province: actor.province })];
  }
}

const notFound = (kind: TicketKind): ErrorCode =>
  kind === 'correction' ? 'YMT_ERR_CORRECTION_NOT_FOUND' : 'YMT_ERR_TICKET_NOT_FOUND';

export class TicketsService {
  constructor(
    private readonly db: Db,
    private readonly tickets: TicketsRepository,
    private readonly registry: ProvinceRegistry,
    private readonly notifications: HolderNotificationsRepository,
    readonly deadlines: Deadlines,
  ) {}

  /** Opens a ticket routed at once to its owner (two transitions kept: submitted, routed). */
  async open<D>(
    db: Db,
    t: { kind: TicketKind; personId: string; province: string; region: string; details: D },
    owner: Owner,
    evidenceKey: string | null,
    now: Date,
  ): Promise<Ticket<D>> {
    const nowMs = now.getTime();
    return inTransaction(db, async (trx) => {
      const ticket = await this.tickets.open<D>(
        trx,
        {
          ...t,
          owner: ownerId(owner),
          state: 'routed',
          dueAt: dueAt('routed', nowMs, this.deadlines),
          evidenceKey,
        },
        nowMs,
      );
      const who = `holder`;
      await this.tickets.addEvent(
        trx,
        { ticketId: ticket.ticketId, actor: who, from: null, to: 'submitted', reason: null },
        nowMs,
      );
      await this.tickets.addEvent(
        trx,
        {
          ticketId: ticket.ticketId,
          actor: SYSTEM_ACTOR,
          from: 'submitted',
          to: 'routed',
          reason: ticket.owner,
        },
        nowMs,
      );
      await this.notifications.enqueue(
        trx,
        { personId: t.personId, ticketId: ticket.ticketId, state: 'routed' },
        nowMs,
      );
      return ticket;
    });
  }

  /** A holder reports a checkpoint that refused their code; the ticket goes to the place's provincial unit. */
  async reportNonRecognition(
    personId: string,
    report: NonRecognition & { readonly region: string },
    now: Date,
  ): Promise<Ticket<NonRecognition>> {
    const { region, ...details } = report;
    const unit = this.registry.unitOf(region);
    if (!unit) throw new AppError('YMT_ERR_REGION_UNKNOWN');
    return this.open<NonRecognition>(
      this.db,
      { kind: 'non-recognition', personId, province: unit.code, region, details },
      { kind: 'province', province: unit.code },
      null,
      now,
    );
  }

  /** A holder's own tickets of a kind, newest first. */
  ofPerson<D>(personId: string, kind: TicketKind = 'non-recognition'): Promise<Ticket<D>[]> {
    return this.tickets.ofPerson<D>(this.db, personId, kind);
  }

  /** The holder's open ticket on a record, if any. */
  openOn<D>(personId: string, evidenceKey: string): Promise<Ticket<D> | undefined> {
    return this.tickets.openOn<D>(this.db, personId, evidenceKey);
  }

  /** How many of a holder's tickets of a kind are open, and how many they opened since `sinceMs`. */
  counts(personId: string, kind: TicketKind, sinceMs: number): Promise<{ open: number; since: number }> {
    return this.tickets.counts(this.db, personId, kind, sinceMs);
  }

  /** Keeps more information with a ticket, without moving it (the holder disputed the same record again). */
  async note<D>(t: Ticket<D>, who: string, text: string, now: Date): Promise<void> {
    await this.tickets.addEvent(
      this.db,
      { ticketId: t.ticketId, actor: who, from: t.state, to: t.state, reason: text },
      now.getTime(),
    );
  }

  /** The tickets an actor answers (operators: all, the escalated ones included), filtered. */
  async queue<D>(actor: Actor, filter: Omit<QueueFilter, 'owners'> = {}): Promise<Ticket<D>[]> {
    if (actor.role === 'department' && filter.kind === 'non-recognition') return [];
    const owners = ownersOf(actor);
    return this.tickets.queue<D>(this.db, { ...filter, ...(owners ? { owners } : {}) });
  }

  /** One ticket an actor owns; another's is not found. */
  async get<D>(actor: Actor, ticketId: string, kind: TicketKind): Promise<Ticket<D>> {
    const t = await this.tickets.get<D>(this.db, ticketId);
    const owner = t && parseOwnerId(t.owner);
    if (!t || t.kind !== kind || !owner || !owns(actor, owner)) throw new AppError(notFound(kind));
    return t;
  }

  /** A holder's own ticket; another holder's is not found. */
  async ofHolder<D>(personId: string, ticketId: string, kind: TicketKind): Promise<Ticket<D>> {
    const t = await this.tickets.get<D>(this.db, ticketId);
    if (!t || t.kind !== kind || t.personId !== personId) throw new AppError(notFound(kind));
    return t;
  }

  history(ticketId: string): Promise<TicketEvent[]> {
    return this.tickets.events(this.db, ticketId);
  }

  /**
   * Moves a ticket by `move` (the workflow decides whether it may), keeping the transition and queuing the holder's
   * notification in one transaction. `who` is the actor's name; `reason` is kept encrypted.
   */
  async move<D>(
    t: Ticket<D>,
    move: Move,
    /** Who moves it: an owner, the holder, or the hub's deadline sweep. */
    who: Actor | 'holder' | typeof SYSTEM_ACTOR,
    reason: string | null,
    now: Date,
    extra: { answer?: string } = {},
  ): Promise<Ticket<D>> {
    if (!allowed(move, t.state, t.reopenCount))
      throw new AppError(
        move === 'reopen' && t.reopenCount > 0 ? 'YMT_ERR_CORRECTION_REOPENED' : 'YMT_ERR_CORRECTION_STATE',
      );
    const nowMs = now.getTime();
    const to = stateAfter(move);
    const answering = move === 'review' || move === 'accept' || move === 'reject';
    return inTransaction(this.db, async (trx) => {
      const moved = await this.tickets.move(
        trx,
        t.ticketId,
        t.state,
        {
          state: to,
          dueAt: dueAt(to, nowMs, this.deadlines),
          ...(extra.answer === undefined ? {} : { answer: extra.answer }),
          ...(answering && t.firstAnswerAt === null ? { firstAnswerAt: nowMs } : {}),
          ...(move === 'accept' || move === 'reject' ? { resolvedAt: nowMs } : {}),
          // A reopened ticket starts its stages again, with a fresh chance of escalation.
          ...(move === 'reopen'
            ? { reopenCount: t.reopenCount + 1, escalatedAt: null, resolvedAt: null }
            : {}),
        },
        nowMs,
      );
      if (!moved) throw new AppError('YMT_ERR_CORRECTION_STATE');
      await this.tickets.addEvent(
        trx,
        { ticketId: t.ticketId, actor: typeof who === 'string' ? who : who.name, from: t.state, to, reason },
        nowMs,
      );
      await appendFacts(trx, {
        at: nowMs,
        ...(typeof who !== 'string'
          ? actorOf(who)
          : who === 'holder'
            ? { actorKind: 'holder', actorRef: t.personId }
            : { actorKind: 'system', actorRef: 'tickets' }),
        action: `${t.kind}.${move}`,
        subject: t.ticketId,
        detail: JSON.stringify({ from: t.state, to }),
      });
      await this.notifications.enqueue(trx, { personId: t.personId, ticketId: t.ticketId, state: to }, nowMs);
      const after = await this.tickets.get<D>(trx, t.ticketId);
      if (!after) throw new AppError(notFound(t.kind));
      return after;
    });
  }

  /** The owner takes a ticket in review (its first answer). */
  async review<D>(actor: Actor, ticketId: string, kind: TicketKind, now: Date): Promise<Ticket<D>> {
    const t = await this.get<D>(actor, ticketId, kind);
    return this.move(t, 'review', actor, null, now);
  }

  /** Answers a non-recognition report: the province (or an operator) accepts it with its answer. */
  async answer<D>(actor: Actor, ticketId: string, answer: string, now: Date): Promise<Ticket<D>> {
    const text = requiredText('answer', answer, ANSWER_MAX);
    const t = await this.get<D>(actor, ticketId, 'non-recognition');
    return this.move(t, 'accept', actor, text, now, { answer: text });
  }

  /**
   * One round of the deadlines: open tickets past due are escalated to the national operators (kept as an event);
   * decided tickets past due are closed. Returns how many of each.
   */
  async sweep(now: Date): Promise<{ escalated: number; closed: number }> {
    const nowMs = now.getTime();
    let escalated = 0;
    for (const t of await this.tickets.due(this.db, nowMs, OPEN_STATES, SWEEP_BATCH)) {
      const done = await inTransaction(this.db, async (trx) => {
        if (!(await this.tickets.escalate(trx, t.ticketId, nowMs))) return false;
        await this.tickets.addEvent(
          trx,
          {
            ticketId: t.ticketId,
            actor: SYSTEM_ACTOR,
            from: t.state,
            to: t.state,
            reason: 'escalated: past its deadline',
          },
          nowMs,
        );
        return true;
      });
      if (done) escalated++;
    }
    let closed = 0;
    for (const t of await this.tickets.due(this.db, nowMs, ['accepted', 'rejected'], SWEEP_BATCH)) {
      try {
        await this.move(t, 'close', SYSTEM_ACTOR, null, now);
        closed++;
      } catch (e) {
        // Moved meanwhile (the holder reopened it): nothing to close.
        if (!(e instanceof AppError)) throw e;
      }
    }
    return { escalated, closed };
  }

  /** Per owner the actor sees: open, overdue, escalated, and the median times to first answer and to decision. */
  async oversight(actor: Actor, kind: TicketKind, now: Date): Promise<OwnerFigures[]> {
    const rows = await this.tickets.oversightRows(this.db, kind, ownersOf(actor));
    const byOwner = new Map<string, typeof rows>();
    for (const r of rows) byOwner.set(r.owner, [...(byOwner.get(r.owner) ?? []), r]);
    return [...byOwner.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([owner, rs]) => ({
        owner,
        total: rs.length,
        open: rs.filter((r) => OPEN_STATES.includes(r.state)).length,
        overdue: rs.filter(
          (r) => OPEN_STATES.includes(r.state) && r.due_at !== null && r.due_at <= now.getTime(),
        ).length,
        escalated: rs.filter((r) => OPEN_STATES.includes(r.state) && r.escalated_at !== null).length,
        medianFirstAnswerMs: median(
          rs.flatMap((r) => (r.first_answer_at === null ? [] : [r.first_answer_at - r.created_at])),
        ),
        medianResolutionMs: median(
          rs.flatMap((r) =>
            r.resolved_at === null || !DECIDED_STATES.includes(r.state) ? [] : [r.resolved_at - r.created_at],
          ),
        ),
      }));
  }
}

/** A non-recognition report's status as its routes have always shown it. */
export function reportStatus(state: State): 'open' | 'answered' {
  return OPEN_STATES.includes(state) ? 'open' : 'answered';
}

/** The queue of non-recognition reports a status filter (`open` | `answered`) means. */
export function reportFilter(status: 'open' | 'answered' | undefined): Omit<QueueFilter, 'owners'> {
  if (status === undefined) return { kind: 'non-recognition' };
  return { kind: 'non-recognition', states: status === 'open' ? OPEN_STATES : DECIDED_STATES };
}
