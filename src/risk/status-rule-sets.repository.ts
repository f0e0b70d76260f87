/** Published status rule sets (`status_rule_sets`): immutable per id and version, kept as their JSON text. */
import type { Db } from '../db/database.ts';

export interface PublishedStatusRuleSet {
  readonly id: string;
  readonly version: string;
  readonly validFrom: number;
  readonly publishedAt: number;
  readonly publishedBy: string;
  readonly document: string;
}

export class StatusRuleSetsRepository {
  /** Every published set, oldest validFrom first. */
  async published(db: Db): Promise<PublishedStatusRuleSet[]> {
    const rows = await db
      .selectFrom('status_rule_sets')
      .selectAll()
      .orderBy('valid_from')
      .orderBy('published_at')
      .execute();
    return rows.map((r) => ({
      id: r.rule_set_id,
      version: r.version,
      validFrom: r.valid_from,
      publishedAt: r.published_at,
      publishedBy: r.published_by,
      document: r.document,
    }));
  }

  /** The stored document of an id and version, if any. */
  async document(db: Db, id: string, version: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('status_rule_sets')
      .select('document')
      .where('rule_set_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row?.document;
  }

  async insert(db: Db, set: Omit<PublishedStatusRuleSet, 'publishedAt'>, nowMs: number): Promise<void> {
    await db
      .insertInto('status_rule_sets')
      .values({
        rule_set_id: set.id,
        version: set.version,
        valid_from: set.validFrom,
        document: set.document,
        published_at: nowMs,
        published_by: set.publishedBy,
      })
      .execute();
  }
}
