/**
 * What the operations console reads across the hub's tables and no other part needs: area risk entries still
 * to run, batches newest first, when each source last sent and each province last pushed, the published rule
 * sets. Read only; every write goes through the path that owns it (the ingestion, the federation).
 */
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { FeedBatchesTable } from '../db/schema.ts';
import type { FeedSource } from '../feeds/feed-records.domain.ts';
import { areaRiskInForceAfter } from '../evidence/evidence.repository.ts';

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

export type BatchRow = Selectable<FeedBatchesTable>;

export interface PublishedRuleSetRow {
  readonly id: string;
  readonly version: string;
  /** The column as stored: a provincial code, or NATIONAL_RULE_SETS. */
  readonly owner: string;
  readonly validFrom: number;
  readonly publishedAt: number;
  readonly document: string;
}

/** The owner under which a national acceptance rule set is published (src/province-api/federation.repository.ts). */
export { NATIONAL_RULE_SETS } from '../province-api/federation.repository.ts';

export class ConsoleRepository {
  constructor(private readonly db: Db) {}

  /**
   * Area risk entries in force at `nowMs` or still to come, earliest first, with any early end applied (withdrawn
   * ones are not listed).
   */
  async areaRisk(nowMs: number): Promise<AreaRiskEntry[]> {
    const rows = await areaRiskInForceAfter(this.db, nowMs)
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
  async areaRiskEntry(
    batchId: string,
    line: number,
  ): Promise<{ validFrom: number; validTo: number; endsAt: number | null } | undefined> {
    const r = await this.db
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
  async endAreaRisk(
    end: { batchId: string; line: number; endsAt: number; by: string; reason: string },
    nowMs: number,
  ): Promise<void> {
    const values = { ends_at: end.endsAt, ended_by: end.by, reason: end.reason, recorded_at: nowMs };
    await this.db
      .insertInto('area_risk_ends')
      .values({ batch_id: end.batchId, line: end.line, ...values })
      .onConflict((oc) => oc.columns(['batch_id', 'line']).doUpdateSet(values))
      .execute();
  }

  /** Published batches, newest first, of one source and/or one province when given. */
  async batches(filter: { source?: FeedSource; province?: string }, limit: number): Promise<BatchRow[]> {
    let q = this.db.selectFrom('feed_batches').selectAll();
    if (filter.source !== undefined) q = q.where('source', '=', filter.source);
    if (filter.province !== undefined) q = q.where('province', '=', filter.province);
    return q.orderBy('received_at', 'desc').orderBy('batch_id').limit(limit).execute();
  }

  async batch(source: FeedSource, batchId: string): Promise<BatchRow | undefined> {
    return this.db
      .selectFrom('feed_batches')
      .selectAll()
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .executeTakeFirst();
  }

  /** When each source last had a batch received (sources that never sent are absent). */
  async lastBatchBySource(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('feed_batches')
      .select(['source', (eb) => eb.fn.max('received_at').as('last')])
      .groupBy('source')
      .execute();
    return new Map(rows.map((r) => [r.source, r.last]));
  }

  /** When each province last pushed a status delta the hub received (provinces that never did are absent). */
  async lastStatusPushes(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('province_status')
      .select(['province', (eb) => eb.fn.max<number>('received_at').as('last')])
      .groupBy('province')
      .execute();
    return new Map(rows.map((r) => [r.province, r.last]));
  }

  /** Every published acceptance rule set, in the trust list's order (by owner, then validFrom). */
  async publishedRuleSets(): Promise<PublishedRuleSetRow[]> {
    const rows = await this.db
      .selectFrom('published_rule_sets')
      .selectAll()
      .orderBy('province')
      .orderBy('valid_from')
      .execute();
    return rows.map((r) => ({
      id: r.rule_set_id,
      version: r.version,
      owner: r.province,
      validFrom: r.valid_from,
      publishedAt: r.published_at,
      document: r.document,
    }));
  }

  /** The document published as this id and version, if any. */
  async publishedDocument(id: string, version: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('published_rule_sets')
      .select('document')
      .where('rule_set_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row?.document;
  }
}
