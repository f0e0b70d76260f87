/**
 * Telling holders what happened to their tickets (docs/corrections.md#notifications): each change of state is
 * queued in `holder_notifications` in the transaction that makes it, and delivered afterwards by the channels —
 * behind one interface, so SMS or an app push are adapters. The shipped channel writes one line per notification to
 * the hub's log (the ticket, the state and the text the holder would read; never who the holder is) and says so:
 * a deployment that wants text messages or pushes plugs its adapter in `src/app/compose.ts`.
 */
import type { Db } from '../db/database.ts';
import { STATE_TEXT, type State } from '../tickets/workflow.domain.ts';

export interface HolderNotification {
  readonly id: number;
  readonly personId: string;
  readonly ticketId: string;
  readonly state: State;
  readonly text: string;
  readonly textEn: string;
  readonly createdAt: number;
}

/** A way to reach a holder. Throws when it could not deliver (the notification waits for the next round). */
export interface NotificationChannel {
  readonly name: string;
  deliver(n: HolderNotification): Promise<void>;
}

/** The shipped channel: the hub's log. */
export class LogChannel implements NotificationChannel {
  readonly name = 'log';
  constructor(private readonly log: (line: string) => void) {}

  deliver(n: HolderNotification): Promise<void> {
    this.log(`notification ${String(n.id)} for ticket ${n.ticketId}: ${n.state} — ${n.text} / ${n.textEn}`);
    return Promise.resolve();
  }
}

export class HolderNotificationsRepository {
  async enqueue(
    db: Db,
    n: { personId: string; ticketId: string; state: State },
    nowMs: number,
  ): Promise<void> {
    await db
      .insertInto('holder_notifications')
      .values({ person_id: n.personId, ticket_id: n.ticketId, state: n.state, created_at: nowMs })
      .execute();
  }

  async pending(db: Db, limit: number): Promise<HolderNotification[]> {
    const rows = await db
      .selectFrom('holder_notifications')
      .selectAll()
      .where('delivered_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => {
      const state = r.state as State;
      return {
        id: r.id,
        personId: r.person_id,
        ticketId: r.ticket_id,
        state,
        text: STATE_TEXT[state].zh,
        textEn: STATE_TEXT[state].en,
        createdAt: r.created_at,
      };
    });
  }

  async delivered(db: Db, id: number, channel: string, nowMs: number): Promise<void> {
    await db
      .updateTable('holder_notifications')
      .set({ delivered_at: nowMs, channel })
      .where('id', '=', id)
      .execute();
  }

  /** A holder's notifications about one ticket, oldest first (delivered or not). */
  async ofTicket(
    db: Db,
    ticketId: string,
  ): Promise<{ state: string; createdAt: number; deliveredAt: number | null }[]> {
    const rows = await db
      .selectFrom('holder_notifications')
      .select(['state', 'created_at', 'delivered_at'])
      .where('ticket_id', '=', ticketId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ state: r.state, createdAt: r.created_at, deliveredAt: r.delivered_at }));
  }
}

/** Delivers what is queued through each channel; a failed delivery is tried again next round. */
export class HolderNotificationsService {
  constructor(
    private readonly db: Db,
    private readonly repo: HolderNotificationsRepository,
    /** The channels, given the log of the process that delivers (the shipped channel writes to it). */
    private readonly channels: (log: (line: string) => void) => readonly NotificationChannel[],
  ) {}

  /** One round; how many notifications were delivered (by every channel). */
  async deliver(now: Date, log: (line: string) => void, limit = 500): Promise<number> {
    const channels = this.channels(log);
    const names = channels.map((c) => c.name).join(',');
    let delivered = 0;
    for (const n of await this.repo.pending(this.db, limit)) {
      try {
        for (const c of channels) await c.deliver(n);
        await this.repo.delivered(this.db, n.id, names, now.getTime());
        delivered++;
      } catch {
        // Left pending: the next round tries again.
      }
    }
    return delivered;
  }
}
