/**
 * Which status rule set decides colours: the national baseline as shipped, or a later version an operator
 * published and scheduled (docs/rules.md#scheduling-status-rules). The latest `validFrom` not after now wins.
 * Each hub process reads the published sets again every KEY_RELOAD_SECONDS and at once after a publication of its
 * own. Publication is this one service, whichever entry point asks for it.
 */
import type { Db } from '../db/database.ts';
import type { Actor } from '../access/actor.ts';
import { audited } from '../audit/audited.ts';
import { isOtherContent, refusal, VERSION_TAKEN, type PublicationCheck } from '../rule-sets/publication.ts';
import { loadRuleSet, type RuleSet } from '../rule-sets/rule-set.ts';
import { BASELINE_RULE_SET } from './baseline.ts';
import { ruleSetName } from './risk-engine.ts';
import { checkStatusRuleSet, statusRuleSetInForce } from './status-rule-set.domain.ts';
import type { StatusRuleSetsRepository } from './status-rule-sets.repository.ts';

export interface StatusRuleSetView {
  readonly id: string;
  readonly version: string;
  readonly validFrom: number;
  readonly publishedAt: number | null;
  readonly publishedBy: string | null;
  readonly shipped: boolean;
  readonly inForce: boolean;
}

export class StatusRuleSetsService {
  private sets: readonly RuleSet[] = [];
  private loadedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Db,
    private readonly repo: StatusRuleSetsRepository,
    private readonly reloadMs: number,
  ) {}

  /** The set in force at `now`, reading published sets again when the last read is older than the reload period. */
  async inForce(now: Date): Promise<RuleSet> {
    if (Math.abs(now.getTime() - this.loadedAt) >= this.reloadMs) await this.reload(now);
    return statusRuleSetInForce(this.sets, now.getTime());
  }

  async reload(now: Date): Promise<void> {
    const rows = await this.repo.published(this.db);
    this.sets = rows.flatMap((row) => {
      const r = loadRuleSet(JSON.parse(row.document) as unknown);
      return r.ok ? [r.ruleSet] : [];
    });
    this.loadedAt = now.getTime();
  }

  /** The shipped baseline and every published version, each saying whether it decides now. */
  async list(now: Date): Promise<StatusRuleSetView[]> {
    const inForce = ruleSetName(await this.inForce(now));
    const published = await this.repo.published(this.db);
    return [
      {
        id: BASELINE_RULE_SET.id,
        version: BASELINE_RULE_SET.version,
        validFrom: BASELINE_RULE_SET.validFrom,
        publishedAt: null,
        publishedBy: null,
        shipped: true,
        inForce: inForce === ruleSetName(BASELINE_RULE_SET),
      },
      ...published.map((p) => ({
        id: p.id,
        version: p.version,
        validFrom: p.validFrom,
        publishedAt: p.publishedAt,
        publishedBy: p.publishedBy,
        shipped: false,
        inForce: inForce === ruleSetName(p),
      })),
    ];
  }

  /** What publishing would refuse, as problems (nothing is written). */
  async check(doc: unknown): Promise<PublicationCheck<RuleSet>> {
    const checked = checkStatusRuleSet(doc);
    if (!checked.ok) return { ok: false, code: 'YMT_ERR_RULE_SET_INVALID', problems: checked.problems };
    const { id, version } = checked.ruleSet;
    if (isOtherContent(await this.repo.document(this.db, id, version), doc))
      return { ok: false, code: 'YMT_ERR_RULE_SET_INVALID', problems: [VERSION_TAKEN] };
    return checked;
  }

  /**
   * Publishes a status rule set (immutable per id and version: the same document again changes nothing); it
   * decides colours from its validFrom, and every snapshot made under another set is computed again when read.
   */
  async publish(
    doc: unknown,
    by: Actor,
    now: Date,
  ): Promise<{ ruleSet: RuleSet; created: boolean; inForce: boolean }> {
    const check = await this.check(doc);
    if (!check.ok) throw refusal(check);
    const set = check.ruleSet;
    const created = (await this.repo.document(this.db, set.id, set.version)) === undefined;
    if (created) {
      await audited(
        this.db,
        by,
        now,
        (trx) =>
          this.repo.insert(
            trx,
            {
              id: set.id,
              version: set.version,
              validFrom: set.validFrom,
              document: JSON.stringify(doc),
              publishedBy: by.name,
            },
            now.getTime(),
          ),
        () => ({ action: 'status-rule-set.publish', subject: `${set.id}@${set.version}` }),
      );
      await this.reload(now);
    }
    const inForce = ruleSetName(await this.inForce(now)) === ruleSetName(set);
    return { ruleSet: set, created, inForce };
  }
}
