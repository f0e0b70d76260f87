/**
 * The hub's side of the status exchange (src/exchange, docs/federation.md#status-exchange): the national status of
 * every holder who confirmed a sign-in at a province's node goes to that node — all the hub holds but what that
 * province itself pushed — as national deltas (`POST /api/v1/federation/national-deltas` on the node, signed with
 * the hub's anchor). A node that does not answer keeps its changes queued and is tried again later, alone: the
 * others are not held up.
 */
import type { Db } from '../db/database.ts';
import { fitBatch, type ExchangedStatus } from '../exchange/exchange.domain.ts';
import type { OutboxRow } from '../exchange/status-exchange.repository.ts';
import type { ExchangeSide, StatusExchangeService } from '../exchange/status-exchange.service.ts';
import { backoffCap, hubClientOf, repeatWithBackoff, type HubCaller } from '../federation/signed-client.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { CaseStatusService } from '../status/case-status.service.ts';
import type { StatusService } from '../status/status.service.ts';
import type { Clock } from '../time/clock.ts';
import { provinceSource, type HoldersRepository } from './holders.repository.ts';
import type { ProvincesService } from './provinces.service.ts';

/** A national delta as the hub sends it (the node's route validates it: province-node/node.routes.ts). */
interface NationalDeltaWire extends ExchangedStatus {
  readonly id: number;
  readonly documentType: string;
  readonly documentNumber: string;
  readonly nationality: string;
  readonly changedAt: string;
}

export function hubExchangeSide(
  db: Db,
  persons: PersonsRepository,
  holders: HoldersRepository,
  status: StatusService,
  cases: CaseStatusService,
  reviewAfterMs: number,
): ExchangeSide {
  return {
    async peersOf(personId) {
      const keys = await persons.lookupKeys(db, personId);
      return keys ? holders.provincesOf(db, keys.documentHash) : [];
    },
    async statusFor(personId, province, now) {
      const s = await status.statusFor(personId, now, provinceSource(province));
      return { colour: s.colour, reasons: s.reasons, caseStatus: await cases.of(personId, s.reasons) };
    },
    reviewAfterMs,
  };
}

export class HubExchange {
  /** Per province: when to try again after failures, and the current wait. */
  private readonly backoff = new Map<string, { until: number; delayMs: number }>();
  private loop: { stop(): Promise<void> } | undefined;

  constructor(
    private readonly db: Db,
    private readonly exchange: StatusExchangeService,
    private readonly persons: PersonsRepository,
    private readonly provinces: ProvincesService,
    private readonly caller: HubCaller,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /**
   * One round: queue what changed, then send each province with changes waiting (not in backoff) its changes.
   * A failure is the province's alone; returns what was sent and which provinces failed.
   */
  async round(): Promise<{ queued: number; sent: number; failed: { province: string; error: string }[] }> {
    const now = this.clock();
    const queued = await this.exchange.sweep(now);
    let sent = 0;
    const failed: { province: string; error: string }[] = [];
    const due = (await this.exchange.peersWithPending()).filter(
      (p) => (this.backoff.get(p)?.until ?? 0) <= now.getTime(),
    );
    await Promise.all(
      due.map(async (province) => {
        try {
          sent += await this.pushTo(province);
          this.backoff.delete(province);
        } catch (e) {
          const delayMs = Math.min(
            backoffCap(this.intervalMs),
            (this.backoff.get(province)?.delayMs ?? this.intervalMs) * 2,
          );
          this.backoff.set(province, { until: now.getTime() + delayMs, delayMs });
          failed.push({ province, error: (e as Error).message });
        }
      }),
    );
    return { queued, sent, failed };
  }

  /** Runs a round every STATUS_PUSH_SECONDS beside the HTTP server (`yimatong serve`), until stopped. */
  start(log: (message: string) => void): void {
    this.loop ??= repeatWithBackoff(
      async () => {
        const r = await this.round();
        for (const f of r.failed) log(`national status to ${f.province}: ${f.error}`);
      },
      this.intervalMs,
      backoffCap(this.intervalMs),
      (e, next) => {
        log(`status exchange failed (${(e as Error).message}); next try in ${Math.round(next / 1000)} s`);
      },
    );
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    this.loop = undefined;
  }

  /** Sends one province's queued changes; throws when its node did not take them. */
  async pushTo(province: string): Promise<number> {
    const p = await this.provinces.province(province);
    if (!p?.nodeUrl) throw new Error(`${province} has no node`);
    const client = hubClientOf(this.caller, p.nodeUrl, this.clock);
    return this.exchange.push(province, async (rows) => {
      const byId = await this.deltas(rows);
      const { deltas, covered } = fitBatch(rows, (r) => byId.get(r.id));
      const res = await client.call('POST', '/api/v1/federation/national-deltas', { deltas });
      if (res.status !== 200)
        throw new Error(
          `${province} refused the national deltas: HTTP ${res.status} ${JSON.stringify(res.body)}`,
        );
      return covered;
    });
  }

  /** The national delta of each row (none for a holder no longer here). */
  private async deltas(rows: readonly OutboxRow[]) {
    const deltas = new Map<number, NationalDeltaWire>();
    for (const r of rows) {
      const p = await this.persons.get(this.db, r.person_id);
      if (!p) continue;
      deltas.set(r.id, {
        id: r.id,
        documentType: p.documentType,
        documentNumber: p.documentNumber,
        nationality: p.nationality,
        colour: r.colour,
        reasons: JSON.parse(r.reasons) as ExchangedStatus['reasons'],
        ...(r.case_status === null
          ? {}
          : { caseStatus: JSON.parse(r.case_status) as NonNullable<ExchangedStatus['caseStatus']> }),
        changedAt: new Date(r.changed_at).toISOString(),
      });
    }
    return deltas;
  }
}
