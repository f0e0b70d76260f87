/**
 * What the hub keeps about holders across provinces: who signed in through which node (the residents a province
 * may push status for) and the status provinces pushed. Document hashes use the hub's index key.
 */
import type { Colour } from '../codec/token.ts';
import type { Db } from '../db/database.ts';
import type { StatusEntry } from '../status/status.domain.ts';

export interface StatusDelta {
  /** The node's outbox id: increasing per province. */
  readonly id: number;
  readonly docHash: string;
  readonly colour: Colour;
  readonly reasonCode: string;
  readonly reasonText: string;
  readonly reasonTextEn: string;
  readonly changedAt: number;
}

export interface PushedStatus {
  readonly province: string;
  readonly colour: Colour;
  readonly reasonCode: string;
  readonly reasonText: string;
  readonly reasonTextEn: string;
  readonly changedAt: number;
  readonly receivedAt: number;
}

export class HoldersRepository {
  async recordHolder(db: Db, province: string, docHash: string, nowMs: number): Promise<void> {
    await db
      .insertInto('province_holders')
      .values({ province, doc_hash: docHash, first_seen: nowMs })
      .onConflict((oc) => oc.columns(['province', 'doc_hash']).doNothing())
      .execute();
  }

  /** Of these hashes, the ones of holders who signed in through the province's node. */
  async holdersOf(db: Db, province: string, docHashes: readonly string[]): Promise<Set<string>> {
    if (docHashes.length === 0) return new Set();
    const rows = await db
      .selectFrom('province_holders')
      .select('doc_hash')
      .where('province', '=', province)
      .where('doc_hash', 'in', [...new Set(docHashes)])
      .execute();
    return new Set(rows.map((r) => r.doc_hash));
  }

  /**
   * Applies deltas in id order; a delta older than the stored one (by id) changes nothing, so a batch sent
   * twice, or out of order, leaves the same state. Returns the hashes whose status changed. Several rows: the
   * caller runs it in a transaction (`trx`).
   */
  async applyDeltas(
    trx: Db,
    province: string,
    deltas: readonly StatusDelta[],
    nowMs: number,
  ): Promise<string[]> {
    const changed: string[] = [];
    for (const d of [...deltas].sort((a, b) => a.id - b.id)) {
      const current = await trx
        .selectFrom('province_status')
        .select('delta_id')
        .where('province', '=', province)
        .where('doc_hash', '=', d.docHash)
        .executeTakeFirst();
      if (current && current.delta_id >= d.id) continue;
      const values = {
        colour: d.colour,
        reason_code: d.reasonCode,
        reason_text: d.reasonText,
        reason_text_en: d.reasonTextEn,
        delta_id: d.id,
        changed_at: d.changedAt,
        received_at: nowMs,
      };
      if (current) {
        await trx
          .updateTable('province_status')
          .set(values)
          .where('province', '=', province)
          .where('doc_hash', '=', d.docHash)
          .execute();
      } else {
        await trx
          .insertInto('province_status')
          .values({ province, doc_hash: d.docHash, ...values })
          .execute();
      }
      changed.push(d.docHash);
    }
    return changed;
  }

  async pushedStatus(db: Db, docHash: string): Promise<PushedStatus[]> {
    const rows = await db
      .selectFrom('province_status')
      .selectAll()
      .where('doc_hash', '=', docHash)
      .orderBy('province')
      .execute();
    return rows.map((r) => ({
      province: r.province,
      colour: r.colour,
      reasonCode: r.reason_code,
      reasonText: r.reason_text,
      reasonTextEn: r.reason_text_en,
      changedAt: r.changed_at,
      receivedAt: r.received_at,
    }));
  }

  /** A province's yellow or red is a finding of the national status (mutual recognition, Q1.1). */
  async findings(db: Db, docHash: string | undefined): Promise<StatusEntry[]> {
    if (docHash === undefined) return [];
    return (await this.pushedStatus(db, docHash))
      .filter((s) => s.colour !== 'green')
      .map((s) => ({
        colour: s.colour,
        reasonCode: `PROVINCE_${s.reasonCode}`,
        reasonText: `${s.province} 省级健康码：${s.reasonText}`,
        reasonTextEn: `Provincial code of ${s.province}: ${s.reasonTextEn}`,
        source: `province:${s.province}`,
        sourceRef: `province:${s.province}`,
        validFrom: s.changedAt,
        validUntil: null,
      }));
  }

  /** When each province last pushed a status delta the hub received (provinces that never did are absent). */
  async lastStatusPushes(db: Db): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('province_status')
      .select(['province', (eb) => eb.fn.max<number>('received_at').as('last')])
      .groupBy('province')
      .execute();
    return new Map(rows.map((r) => [r.province, r.last]));
  }
}
