/**
 * Applying the status deltas a provincial node pushes (docs/federation.md#status-deltas): each names a holder by
 * document; only holders who signed in through that province's node may be spoken for; ids make it idempotent.
 * What changed drops the holders' snapshots in the same transaction, so their national status follows at once.
 * A delta whose texts break the text rule, or whose time is implausible, is refused alone (its id in `rejected`):
 * the others apply.
 */
import type { Colour } from '../codec/token.ts';
import { provinceNodeActor } from '../access/actor.ts';
import { recordAct } from '../audit/audited.ts';
import { inTransaction, type Db } from '../db/database.ts';
import type { ErrorCode } from '../errors/registry.ts';
import { parseDocument, type DocumentType } from '../identity/document.domain.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import { textError } from '../text/text.domain.ts';
import { zonedInstant } from '../time/calendar.ts';
import { instantInWindow } from '../time/date-windows.domain.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import type { HoldersRepository, StatusDelta } from './holders.repository.ts';

/** A delta as the node sends it. */
export interface DeltaInput {
  readonly id: number;
  readonly documentType: DocumentType;
  readonly documentNumber: string;
  readonly nationality?: string | undefined;
  readonly colour: Colour;
  readonly reasonCode: string;
  readonly reasonText: string;
  readonly reasonTextEn: string;
  /** ISO 8601. */
  readonly changedAt: string;
}

export interface DeltasReport {
  readonly received: number;
  readonly applied: number;
  readonly rejected: { id: number; code: ErrorCode; message: string }[];
}

/** A delta's texts and time, held to the text rule and the statusChange window one delta at a time. */
const DELTA_TEXTS = { reasonCode: 64, reasonText: 500, reasonTextEn: 500 } as const;

function deltaProblem(d: DeltaInput, now: Date): { code: ErrorCode; message: string } | undefined {
  for (const [field, maxLength] of Object.entries(DELTA_TEXTS) as [keyof typeof DELTA_TEXTS, number][]) {
    const code = textError(d[field], { kind: 'line', maxLength });
    if (code !== undefined) return { code, message: field };
  }
  const at = zonedInstant(d.changedAt);
  if (at === undefined || !instantInWindow(at, 'statusChange', now.getTime()))
    return { code: 'YMT_ERR_DATE_IMPLAUSIBLE', message: 'changedAt' };
  return undefined;
}

export class StatusDeltasService {
  constructor(
    private readonly db: Db,
    private readonly persons: PersonsRepository,
    private readonly holders: HoldersRepository,
    private readonly snapshots: StatusSnapshotsRepository,
  ) {}

  async apply(province: string, deltas: readonly DeltaInput[], now: Date): Promise<DeltasReport> {
    const rejected: DeltasReport['rejected'] = [];
    const parsed: StatusDelta[] = [];
    for (const d of deltas) {
      const doc = parseDocument(d.documentType, d.documentNumber, d.nationality, shanghaiDate(now));
      if (!doc.ok) {
        rejected.push({ id: d.id, code: doc.code, message: 'bad document' });
        continue;
      }
      const bad = deltaProblem(d, now);
      if (bad !== undefined) {
        rejected.push({ id: d.id, ...bad });
        continue;
      }
      parsed.push({
        id: d.id,
        docHash: this.persons.documentHash(doc.value),
        colour: d.colour,
        reasonCode: d.reasonCode,
        reasonText: d.reasonText,
        reasonTextEn: d.reasonTextEn,
        changedAt: Date.parse(d.changedAt),
      });
    }
    const applied = await inTransaction(this.db, async (trx) => {
      const own = await this.holders.holdersOf(
        trx,
        province,
        parsed.map((d) => d.docHash),
      );
      for (const d of parsed.filter((x) => !own.has(x.docHash)))
        rejected.push({
          id: d.id,
          code: 'YMT_ERR_PROVINCE_FORBIDDEN',
          message: 'not a holder of this province',
        });
      const changed = await this.holders.applyDeltas(
        trx,
        province,
        parsed.filter((d) => own.has(d.docHash)),
        now.getTime(),
      );
      if (changed.length > 0) await this.snapshots.invalidateByHashes(trx, changed);
      // Chained with the province, in the same transaction: how many it sent and how many changed a holder.
      await recordAct(trx, provinceNodeActor(province), now, {
        action: 'status-deltas.apply',
        subject: province,
        detail: { received: deltas.length, applied: changed.length, rejected: rejected.length },
      });
      return changed.length;
    });
    return { received: deltas.length, applied, rejected };
  }
}
