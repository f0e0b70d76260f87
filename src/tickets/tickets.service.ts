/**
 * The ticket workflow, one service for every entry point: holders open tickets and follow them; the authority
 * they are routed to answers — a province only its own (another province's ticket is as good as unknown, from the
 * console as from the province API), the national operators any.
 */
import { seesProvince, type Actor } from '../access/actor.ts';
import { inTransaction, type Db } from '../db/database.ts';
import { AppError, requiredText } from '../errors/app-error.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { NonRecognition } from './non-recognition.ts';
import type { Ticket, TicketsRepository, TicketStatus } from './tickets.repository.ts';

/** Longest answer, as the console and the province API take it. */
export const ANSWER_MAX = 2000;

export class TicketsService {
  constructor(
    private readonly db: Db,
    private readonly tickets: TicketsRepository,
    private readonly registry: ProvinceRegistry,
  ) {}

  /** A holder reports a checkpoint that refused their code; the ticket goes to the place's provincial unit. */
  async reportNonRecognition(
    personId: string,
    report: NonRecognition & { readonly region: string },
    now: Date,
  ): Promise<Ticket<NonRecognition>> {
    const { region, ...details } = report;
    const unit = this.registry.unitOf(region);
    if (!unit) throw new AppError('YMT_ERR_REGION_UNKNOWN');
    return this.tickets.open<NonRecognition>(
      this.db,
      { kind: 'non-recognition', personId, province: unit.code, region, details },
      now.getTime(),
    );
  }

  /** A holder's own tickets, newest first. */
  ofPerson<D>(personId: string): Promise<Ticket<D>[]> {
    return this.tickets.ofPerson<D>(this.db, personId);
  }

  /** The tickets an actor answers: every province's (operator) or its own (province), optionally of one status. */
  async queue<D>(actor: Actor, status?: TicketStatus): Promise<Ticket<D>[]> {
    if (actor.role === 'operator') return this.tickets.all<D>(this.db, status);
    if (actor.role === 'province') return this.tickets.ofProvince<D>(this.db, actor.province, status);
    return [];
  }

  /** Answers a ticket routed to the actor's part; the answered ticket. */
  async answer<D>(actor: Actor, ticketId: string, answer: string, now: Date): Promise<Ticket<D>> {
    const text = requiredText('answer', answer, ANSWER_MAX);
    return inTransaction(this.db, async (trx) => {
      const ticket = await this.tickets.get<D>(trx, ticketId);
      if (!ticket || !seesProvince(actor, ticket.province)) throw new AppError('YMT_ERR_TICKET_NOT_FOUND');
      await this.tickets.answer(trx, ticketId, text, now.getTime());
      const answered = await this.tickets.get<D>(trx, ticketId);
      if (!answered) throw new AppError('YMT_ERR_TICKET_NOT_FOUND');
      return answered;
    });
  }
}
