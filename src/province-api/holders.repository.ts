/**
 * What the hub keeps about holders across provinces: who signed in through which node (the residents a
 * province may push status for), the status provinces pushed, the codes holders linked, and the consent
 * tokens holders give a province's checkpoint. Document hashes use the hub's index key.
 */
import { createHash, randomBytes } from 'node:crypto';
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

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

export class HoldersRepository {
  constructor(private readonly db: Db) {}

  async recordHolder(province: string, docHash: string, nowMs: number): Promise<void> {
    await this.db
      .insertInto('province_holders')
      .values({ province, doc_hash: docHash, first_seen: nowMs })
      .onConflict((oc) => oc.columns(['province', 'doc_hash']).doNothing())
      .execute();
  }

  /** Of these hashes, the ones of holders who signed in through the province's node. */
  async holdersOf(province: string, docHashes: readonly string[]): Promise<Set<string>> {
    if (docHashes.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('province_holders')
      .select('doc_hash')
      .where('province', '=', province)
      .where('doc_hash', 'in', [...new Set(docHashes)])
      .execute();
    return new Set(rows.map((r) => r.doc_hash));
  }

  /**
   * Applies deltas in id order; a delta older than the stored one (by id) changes nothing, so a batch sent
   * twice, or out of order, leaves the same state. Returns the hashes whose status changed.
   */
  async applyDeltas(province: string, deltas: readonly StatusDelta[], nowMs: number): Promise<string[]> {
    const changed: string[] = [];
    await this.db.transaction().execute(async (trx) => {
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
    });
    return changed;
  }

  async pushedStatus(docHash: string): Promise<PushedStatus[]> {
    const rows = await this.db
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
  async findings(docHash: string | undefined): Promise<StatusEntry[]> {
    if (docHash === undefined) return [];
    return (await this.pushedStatus(docHash))
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

  async link(personId: string, province: string, nowMs: number): Promise<void> {
    await this.db
      .insertInto('linked_codes')
      .values({ person_id: personId, province, linked_at: nowMs })
      .onConflict((oc) => oc.columns(['person_id', 'province']).doNothing())
      .execute();
  }

  async linked(personId: string): Promise<{ province: string; linkedAt: number }[]> {
    const rows = await this.db
      .selectFrom('linked_codes')
      .select(['province', 'linked_at'])
      .where('person_id', '=', personId)
      .orderBy('province')
      .execute();
    return rows.map((r) => ({ province: r.province, linkedAt: r.linked_at }));
  }

  async unlink(personId: string, province: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('linked_codes')
      .where('person_id', '=', personId)
      .where('province', '=', province)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** A fresh consent token for one province; only its hash is stored. */
  async grantConsent(
    personId: string,
    audience: string,
    nowMs: number,
    ttlMs: number,
  ): Promise<{ token: string; expiresAt: number }> {
    const token = randomBytes(24).toString('base64url');
    const expiresAt = nowMs + ttlMs;
    await this.db
      .insertInto('consents')
      .values({
        token_hash: tokenHash(token),
        person_id: personId,
        audience,
        created_at: nowMs,
        expires_at: expiresAt,
      })
      .execute();
    return { token, expiresAt };
  }

  /** The person behind a consent token, if it is valid for this province now. */
  async consent(token: string, audience: string, nowMs: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('consents')
      .select(['person_id', 'audience', 'expires_at'])
      .where('token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    if (!row || row.audience !== audience || row.expires_at <= nowMs) return undefined;
    return row.person_id;
  }
}
