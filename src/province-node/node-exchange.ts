/**
 * A node's side of the status exchange (src/exchange, docs/federation.md#status-exchange): its holders' own
 * findings go to the hub — never what the hub itself sent (the national findings) — as status deltas, the province
 * API's wire format (one reason: the first).
 */
import type { Db } from '../db/database.ts';
import { fitBatch, HUB_PEER, type ExchangedStatus } from '../exchange/exchange.domain.ts';
import type { OutboxRow } from '../exchange/status-exchange.repository.ts';
import type { ExchangeSide, StatusExchangeService } from '../exchange/status-exchange.service.ts';
import type { SignedClient } from '../federation/signed-client.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { StatusService } from '../status/status.service.ts';
import { NATIONAL_SOURCE } from './national-status.repository.ts';

/** The node exchanges with the hub alone, about every holder, saying what the node itself found. */
export function nodeExchangeSide(status: StatusService, reviewAfterMs: number): ExchangeSide {
  return {
    peersOf: () => Promise.resolve([HUB_PEER]),
    statusFor: (personId, _peer, now) => status.statusFor(personId, now, NATIONAL_SOURCE),
    reviewAfterMs,
  };
}

/** A status delta as a node sends it (the hub's route validates it: province-api/province-holders.routes.ts). */
interface StatusDeltaWire {
  readonly id: number;
  readonly documentType: string;
  readonly documentNumber: string;
  readonly nationality: string;
  readonly colour: string;
  readonly reasonCode: string;
  readonly reasonText: string;
  readonly reasonTextEn: string;
  readonly changedAt: string;
}

export class NodeExchange {
  constructor(
    private readonly db: Db,
    private readonly exchange: StatusExchangeService,
    private readonly persons: PersonsRepository,
  ) {}

  /** Queues the changes of the holders whose evidence changed (or whose non-green status is due a review). */
  sweep(now: Date): Promise<number> {
    return this.exchange.sweep(now);
  }

  /** Sends the hub what is queued; throws when the hub did not take it (the loop retries with backoff). */
  push(hub: SignedClient): Promise<number> {
    return this.exchange.push(HUB_PEER, async (rows) => {
      const byId = await this.deltas(rows);
      const { deltas, covered } = fitBatch(rows, (r) => byId.get(r.id));
      const res = await hub.call('POST', '/api/v1/federation/status-deltas', { deltas });
      if (res.status !== 200)
        throw new Error(`the hub refused the status deltas: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      return covered;
    });
  }

  /** Changes queued for the hub and not yet taken. */
  pending(): Promise<number> {
    return this.exchange.pending(HUB_PEER);
  }

  /** The status delta of each row (none for a holder no longer here). */
  private async deltas(rows: readonly OutboxRow[]) {
    const deltas = new Map<number, StatusDeltaWire>();
    for (const r of rows) {
      const p = await this.persons.get(this.db, r.person_id);
      if (!p) continue;
      const first = (JSON.parse(r.reasons) as ExchangedStatus['reasons'])[0];
      deltas.set(r.id, {
        id: r.id,
        documentType: p.documentType,
        documentNumber: p.documentNumber,
        nationality: p.nationality,
        colour: r.colour,
        reasonCode: first?.code ?? 'NO_ABNORMALITY',
        reasonText: first?.text ?? '未见异常',
        reasonTextEn: first?.textEn ?? 'No abnormality found',
        changedAt: new Date(r.changed_at).toISOString(),
      });
    }
    return deltas;
  }
}
