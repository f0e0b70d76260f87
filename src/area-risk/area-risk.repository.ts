/**
 * Area risk levels (`area_risk_levels`, written by area-risk feed batches) and operators' early ends beside them
 * (`area_risk_ends`): an entry is never changed; an end is recorded next to it.
 */
import type { Db } from '../db/database.ts';

export interface AreaRiskEntry {
  readonly areaCode: string;
  readonly level: string;
  readonly validFrom: number;
  /** Its end: as published, or earlier when an operator ended it. */
  readonly validTo: number;
  readonly authority: string;
  readonly batchId: string;
  readonly line: number;
  /** Set when an operator ended it early. */
  readonly ended: { readonly by: string; readonly reason: string } | null;
}

/**
 * Area risk entries (alias `a`) with an operator's early end beside them (alias `x`), keeping those still in force
 * after `fromMs`: not past their published end, not ended by then, not withdrawn (ended at or before their
 * start) and not corrected by the authority that sent them. The one rule for how an end applies, shared by the status (src/evidence) and the console's list.
 */
export function areaRiskInForceAfter(db: Db, fromMs: number) {
  return (
    db
      .selectFrom('area_risk_levels as a')
      .leftJoin('area_risk_ends as x', (j) =>
        j.onRef('x.batch_id', '=', 'a.batch_id').onRef('x.line', '=', 'a.line'),
      )
      .where('a.valid_to', '>', fromMs)
      // A record its owner corrected (retracted or amended) is not in force at all.
      .where('a.corrected_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('x.ends_at', 'is', null),
          eb.and([eb('x.ends_at', '>', fromMs), eb('x.ends_at', '>', eb.ref('a.valid_from'))]),
        ]),
      )
  );
}

export class AreaRiskRepository {
  /**
   * Entries in force at `nowMs` or still to come, earliest first, with any early end applied (withdrawn ones are
   * not listed).
   */
  async inForceOrComing(db: Db, nowMs: number): Promise<AreaRiskEntry[]> {
    const rows = await areaRiskInForceAfter(db, nowMs)
      .select([
        'a.area_code',
        'a.level',
        'a.valid_from',
        'a.valid_to',
        'a.authority',
        'a.batch_id',
        'a.line',
        'x.ends_at',
        'x.ended_by',
        'x.reason',
      ])
      .orderBy('a.valid_from')
      .orderBy('a.area_code')
      .orderBy('a.batch_id')
      .orderBy('a.line')
      .execute();
    return rows.map((r) => ({
      areaCode: r.area_code,
      level: r.level,
      validFrom: r.valid_from,
      validTo: r.ends_at === null ? r.valid_to : Math.min(r.valid_to, r.ends_at),
      authority: r.authority,
      batchId: r.batch_id,
      line: r.line,
      ended: r.ends_at === null ? null : { by: r.ended_by ?? '', reason: r.reason ?? '' },
    }));
  }

  /** One entry as published, and its early end if it has one. */
  async entry(
    db: Db,
    batchId: string,
    line: number,
  ): Promise<{ validFrom: number; validTo: number; endsAt: number | null } | undefined> {
    const r = await db
      .selectFrom('area_risk_levels as a')
      .leftJoin('area_risk_ends as x', (j) =>
        j.onRef('x.batch_id', '=', 'a.batch_id').onRef('x.line', '=', 'a.line'),
      )
      .select(['a.valid_from', 'a.valid_to', 'x.ends_at'])
      .where('a.batch_id', '=', batchId)
      .where('a.line', '=', line)
      .executeTakeFirst();
    return r && { validFrom: r.valid_from, validTo: r.valid_to, endsAt: r.ends_at };
  }

  /** Records (or brings forward) an entry's early end. */
  async end(
    db: Db,
    end: { batchId: string; line: number; endsAt: number; by: string; reason: string },
    nowMs: number,
  ): Promise<void> {
    const values = { ends_at: end.endsAt, ended_by: end.by, reason: end.reason, recorded_at: nowMs };
    await db
      .insertInto('area_risk_ends')
      .values({ batch_id: end.batchId, line: end.line, ...values })
      .onConflict((oc) => oc.columns(['batch_id', 'line']).doUpdateSet(values))
      .execute();
  }
}
