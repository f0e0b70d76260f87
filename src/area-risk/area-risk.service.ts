/**
 * Area risk levels as operators manage them (Q2.7): an entry set for a period goes through the department
 * ingestion as an area-risk batch of one, so provenance, snapshots and exposures follow exactly as for a
 * department's batch; an entry is ended early, or withdrawn, by recording an end beside it.
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../access/actor.ts';
import { actorOf, recordAct } from '../audit/audited.ts';
import { Readable } from 'node:stream';
import { inTransaction, type Db } from '../db/database.ts';
import { AppError, fieldProblem } from '../errors/app-error.ts';
import { parseFeedRecord, type RISK_LEVELS } from '../feeds/feed-records.domain.ts';
import type { IngestService } from '../feeds/ingest.service.ts';
import type { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import { zonedInstant } from '../time/calendar.ts';
import type { AreaRiskEntry, AreaRiskRepository } from './area-risk.repository.ts';

export interface AreaRiskInput {
  readonly areaCode: string;
  readonly level: (typeof RISK_LEVELS)[number];
  readonly validFrom: string;
  readonly validTo: string;
  readonly authority?: string;
}

/** The feed record's field names as the operator's input names them. */
const INPUT_FIELD: Readonly<Record<string, string>> = { from: 'validFrom', to: 'validTo' };

export class AreaRiskService {
  constructor(
    private readonly db: Db,
    private readonly areaRisk: AreaRiskRepository,
    private readonly ingest: IngestService,
    private readonly snapshots: StatusSnapshotsRepository,
  ) {}

  /** Entries in force now or still to come. */
  list(now: Date): Promise<AreaRiskEntry[]> {
    return this.areaRisk.inForceOrComing(this.db, now.getTime());
  }

  /**
   * Sets an area's risk level for a period: validated as an area-risk feed record, then ingested as a batch of
   * one (`console-<ms>-<random>`, national, source `area-risk`).
   */
  async set(input: AreaRiskInput, by: Actor, now: Date): Promise<{ batchId: string; accepted: number }> {
    const raw = {
      areaCode: input.areaCode,
      level: input.level,
      from: input.validFrom,
      to: input.validTo,
      authority: input.authority ?? by.name.slice(0, 100),
    };
    const parsed = parseFeedRecord('area-risk', raw, now);
    if (!parsed.ok)
      throw new AppError(parsed.code, [fieldProblem(INPUT_FIELD[parsed.field] ?? parsed.field, parsed.code)]);
    const batchId = `console-${String(now.getTime())}-${randomBytes(4).toString('hex')}`;
    const report = await this.ingest.ingest(Readable.from([JSON.stringify(raw)]), {
      source: 'area-risk',
      format: 'ndjson',
      batchId,
      province: null,
      now,
      by: actorOf(by),
    });
    return { batchId, accepted: report.accepted };
  }

  /**
   * Ends an entry early (an operator's correction; the entry itself stays as published): at `endsAt`, or now; at
   * or before its start it is withdrawn. Only brings an end forward. Every status snapshot is dropped in the same
   * transaction, as after an area-risk batch.
   */
  async end(
    end: { batchId: string; line: number; endsAt?: string | undefined; reason: string },
    by: Actor,
    now: Date,
  ): Promise<{ batchId: string; line: number; endsAt: number; withdrawn: boolean }> {
    const entry = await this.areaRisk.entry(this.db, end.batchId, end.line);
    if (!entry) throw new AppError('YMT_ERR_NOT_FOUND');
    const asked = end.endsAt === undefined ? now.getTime() : zonedInstant(end.endsAt);
    if (asked === undefined)
      throw new AppError('YMT_ERR_FEED_DATE', [fieldProblem('endsAt', 'YMT_ERR_FEED_DATE')]);
    const endsAt = Math.max(asked, entry.validFrom);
    const currentEnd = Math.min(entry.validTo, entry.endsAt ?? entry.validTo);
    if (endsAt >= currentEnd)
      throw new AppError('YMT_ERR_AREA_RISK_ALREADY_ENDED', [
        fieldProblem('endsAt', 'YMT_ERR_AREA_RISK_ALREADY_ENDED'),
      ]);
    await inTransaction(this.db, async (trx) => {
      await this.areaRisk.end(
        trx,
        { batchId: end.batchId, line: end.line, endsAt, by: by.name, reason: end.reason },
        now.getTime(),
      );
      await this.snapshots.invalidateAll(trx);
      await recordAct(trx, by, now, {
        action: 'area-risk.end',
        subject: `${end.batchId}#${String(end.line)}`,
        detail: { endsAt },
      });
    });
    return { batchId: end.batchId, line: end.line, endsAt, withdrawn: endsAt === entry.validFrom };
  }
}
