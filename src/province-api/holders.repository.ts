/**
 * What the hub keeps about holders across provinces: who signed in through which node (the residents a province
 * may push status for) and the status provinces pushed. Document hashes use the hub's index key.
 */
import type { Colour } from '../codec/token.ts';
import { compiledOnce } from '../db/compiled-once.ts';
import type { Db } from '../db/database.ts';
import type { StatusReason } from '../status/status.domain.ts';

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
  /** The node's delta id that set it: its provenance. */
  readonly deltaId: number;
}

/** Where a province's findings come from, as their evidence names it: `province:440000`. */
export const provinceSource = (province: string): string => `province:${province}`;

/** Read for every status computed at the hub: compiled once (src/db/compiled-once.ts). */
const readPushedStatus = compiledOnce(
  (db: Db, docHash: string) =>
    db.selectFrom('province_status').selectAll().where('doc_hash', '=', docHash).orderBy('province'),
  1,
);

export class HoldersRepository {
  async recordHolder(db: Db, province: string, docHash: string, nowMs: number): Promise<void> {
    await db
      .insertInto('province_holders')
      .values({ province, doc_hash: docHash, first_seen: nowMs })
      .onConflict((oc) => oc.columns(['province', 'doc_hash']).doNothing())
      .execute();
  }

  /** The provinces a holder confirmed a sign-in at (the nodes their national status goes to). */
  async provincesOf(db: Db, docHash: string): Promise<string[]> {
    const rows = await db
      .selectFrom('province_holders')
      .select('province')
      .where('doc_hash', '=', docHash)
      .orderBy('province')
      .execute();
    return rows.map((r) => r.province);
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

  /**
   * A province's finding withdrawn by an accepted correction: the delta turns green, keeping its id, so a resend of it
   * (or of an older one) changes nothing and a newer delta from the province still applies. False when that delta is
   * no longer the one held.
   */
  async withdrawFinding(
    db: Db,
    province: string,
    docHash: string,
    deltaId: number,
    nowMs: number,
  ): Promise<boolean> {
    const r = await db
      .updateTable('province_status')
      .set({
        colour: 'green',
        reason_code: 'WITHDRAWN_BY_CORRECTION',
        reason_text: '已按纠错申请撤销',
        reason_text_en: 'Withdrawn after a correction',
        received_at: nowMs,
      })
      .where('province', '=', province)
      .where('doc_hash', '=', docHash)
      .where('delta_id', '=', deltaId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async pushedStatus(db: Db, docHash: string): Promise<PushedStatus[]> {
    const rows = await readPushedStatus(db, docHash);
    return rows.map((r) => ({
      province: r.province,
      colour: r.colour,
      reasonCode: r.reason_code,
      reasonText: r.reason_text,
      reasonTextEn: r.reason_text_en,
      changedAt: r.changed_at,
      receivedAt: r.received_at,
      deltaId: r.delta_id,
    }));
  }

  /**
   * A province's yellow or red is a finding of the national status (mutual recognition, Q1.1), with its
   * provenance: the province and the delta that set it. The hub's side of the status exchange's ExternalSource.
   */
  async findings(
    db: Db,
    holder: { readonly documentHash: string | undefined },
  ): Promise<{ reasons: StatusReason[]; known: true; asOf: null }> {
    if (holder.documentHash === undefined) return { reasons: [], known: true, asOf: null };
    const reasons = (await this.pushedStatus(db, holder.documentHash))
      .filter((s) => s.colour !== 'green')
      .map((s) => ({
        code: `PROVINCE_${s.reasonCode}`,
        colour: s.colour,
        text: `${s.province} 省级健康码：${s.reasonText}`,
        textEn: `Provincial code of ${s.province}: ${s.reasonTextEn}`,
        evidence: { source: provinceSource(s.province), batchId: 'status-delta', record: s.deltaId },
      }));
    return { reasons, known: true, asOf: null };
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
