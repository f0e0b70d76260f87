/**
 * Which status rule set decides colours: the national baseline as shipped, or a later version an operator
 * published and scheduled (docs/rules.md#scheduling-status-rules). The latest `validFrom` not after now wins.
 * Published sets live in `status_rule_sets`; each hub process reads them again every KEY_RELOAD_SECONDS and at
 * once after a publication of its own.
 */
import type { Db } from '../db/database.ts';
import { BASELINE_RULE_SET } from './baseline.ts';
import { loadRuleSet, type RuleSet, type RuleSetProblem } from '../rule-sets/rule-set.ts';

/** The set in force at `nowMs`: the latest validFrom not after it (ties: the later in the list). Pure. */
export function statusRuleSetInForce(sets: readonly RuleSet[], nowMs: number): RuleSet {
  let best = BASELINE_RULE_SET;
  for (const s of sets) if (s.validFrom <= nowMs && s.validFrom >= best.validFrom) best = s;
  return best;
}

/**
 * A status rule set an operator may publish: a valid rule set document that keeps the parameters the code beside
 * the rules reads — `stayHours`, and `windowDays` no longer than the baseline's (evidence is read for that long).
 */
export function checkStatusRuleSet(
  doc: unknown,
): { ok: true; ruleSet: RuleSet } | { ok: false; problems: RuleSetProblem[] } {
  const r = loadRuleSet(doc);
  if (!r.ok) return r;
  const problems: RuleSetProblem[] = [];
  const window = r.ruleSet.parameters.windowDays;
  const baselineWindow = BASELINE_RULE_SET.parameters.windowDays;
  if (
    typeof window !== 'number' ||
    typeof baselineWindow !== 'number' ||
    window < 1 ||
    window > baselineWindow
  )
    problems.push({
      path: 'parameters.windowDays',
      message: `a number of days from 1 to ${String(baselineWindow)} (the window evidence is read for)`,
    });
  if (typeof r.ruleSet.parameters.stayHours !== 'number')
    problems.push({
      path: 'parameters.stayHours',
      message: 'a number of hours (the itinerary check reads it)',
    });
  if (r.ruleSet.id === BASELINE_RULE_SET.id && r.ruleSet.version === BASELINE_RULE_SET.version)
    problems.push({
      path: 'version',
      message: 'the shipped baseline has this id and version: publish a new version',
    });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, ruleSet: r.ruleSet };
}

export interface PublishedStatusRuleSet {
  readonly id: string;
  readonly version: string;
  readonly validFrom: number;
  readonly publishedAt: number;
  readonly publishedBy: string;
  readonly document: string;
}

export class StatusRuleSets {
  private sets: readonly RuleSet[] = [];
  private loadedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Db,
    private readonly reloadMs: number,
  ) {}

  /** The set in force at `now`, reading published sets again when the last read is older than the reload period. */
  async inForce(now: Date): Promise<RuleSet> {
    if (Math.abs(now.getTime() - this.loadedAt) >= this.reloadMs) await this.reload(now);
    return statusRuleSetInForce(this.sets, now.getTime());
  }

  async reload(now: Date): Promise<void> {
    const rows = await this.published();
    this.sets = rows.flatMap((row) => {
      const r = loadRuleSet(JSON.parse(row.document) as unknown);
      return r.ok ? [r.ruleSet] : [];
    });
    this.loadedAt = now.getTime();
  }

  /** Every published set, oldest validFrom first. */
  async published(): Promise<PublishedStatusRuleSet[]> {
    const rows = await this.db
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

  /**
   * Publishes a checked set (immutable per id and version: the same document again changes nothing, another one
   * is refused by the caller) and reads the sets again.
   */
  async publish(set: RuleSet, document: string, by: string, now: Date): Promise<{ created: boolean }> {
    if ((await this.document(set.id, set.version)) !== undefined) return { created: false };
    await this.db
      .insertInto('status_rule_sets')
      .values({
        rule_set_id: set.id,
        version: set.version,
        valid_from: set.validFrom,
        document,
        published_at: now.getTime(),
        published_by: by,
      })
      .execute();
    await this.reload(now);
    return { created: true };
  }

  /** The stored document of an id and version, if any. */
  async document(id: string, version: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('status_rule_sets')
      .select('document')
      .where('rule_set_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row?.document;
  }
}
