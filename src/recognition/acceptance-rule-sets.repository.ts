/**
 * Acceptance rule sets published by provinces and operators (`published_rule_sets`): immutable per id and
 * version, kept as their JSON text, distributed with the trust list.
 */
import type { Db } from '../db/database.ts';

/**
 * The owner under which a national acceptance rule set is published (the column is not null; the document
 * itself says `province: null`). No provincial code can take it.
 */
export const NATIONAL_RULE_SETS = 'national';

export interface PublishedAcceptanceRuleSet {
  readonly id: string;
  readonly version: string;
  /** A provincial code, or NATIONAL_RULE_SETS. */
  readonly owner: string;
  readonly validFrom: number;
  readonly publishedAt: number;
  readonly document: string;
}

export class AcceptanceRuleSetsRepository {
  /** Every published set, in the trust list's order (by owner, then validFrom). */
  async published(db: Db): Promise<PublishedAcceptanceRuleSet[]> {
    const rows = await db
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
  async document(db: Db, id: string, version: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('published_rule_sets')
      .select('document')
      .where('rule_set_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row?.document;
  }

  /** Who published this id first (every version of an id has the same owner), if anyone did. */
  async owner(db: Db, id: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('published_rule_sets')
      .select('province')
      .where('rule_set_id', '=', id)
      .executeTakeFirst();
    return row?.province;
  }

  async insert(db: Db, set: Omit<PublishedAcceptanceRuleSet, 'publishedAt'>, nowMs: number): Promise<void> {
    await db
      .insertInto('published_rule_sets')
      .values({
        rule_set_id: set.id,
        version: set.version,
        province: set.owner,
        valid_from: set.validFrom,
        document: set.document,
        published_at: nowMs,
      })
      .execute();
  }
}
