/**
 * Publishing acceptance rule sets (docs/rules.md#acceptance-rules), one service for every entry point: the
 * operations console, the province API and the command line check and publish through it, so each refuses the
 * same document the same way. A province publishes only its own; an id stays with the province (or the nation)
 * that first used it; an id and version are immutable. A publication bumps the trust list's revision in the same
 * transaction, so every checkpoint receives it with the next list.
 */
import { mayPublishRuleSet, seesRuleSet, type Actor } from '../access/actor.ts';
import { recordAct } from '../audit/audited.ts';
import { inTransaction, isUniqueViolation, type Db } from '../db/database.ts';
import { isOtherContent, refusal, VERSION_TAKEN, type PublicationCheck } from '../rule-sets/publication.ts';
import type { TrustListRevisionRepository } from '../signing/trust-list-revision.repository.ts';
import { SHIPPED_ACCEPTANCE_RULE_SETS } from './acceptance.registry.ts';
import { loadAcceptanceRuleSet, ruleSetInForce, type AcceptanceRuleSet } from './acceptance-rule-set.ts';
import { NATIONAL_RULE_SETS, type AcceptanceRuleSetsRepository } from './acceptance-rule-sets.repository.ts';

export interface AcceptanceRuleSetView {
  readonly id: string;
  readonly version: string;
  readonly province: string | null;
  readonly validFrom: number;
  readonly publishedAt: number | null;
  readonly inForce: boolean;
  readonly shipped: boolean;
}

const provinceOf = (owner: string): string | null => (owner === NATIONAL_RULE_SETS ? null : owner);

export class AcceptanceRuleSetsService {
  constructor(
    private readonly db: Db,
    private readonly repo: AcceptanceRuleSetsRepository,
    private readonly revision: TrustListRevisionRepository,
  ) {}

  /** Shipped and published rule sets the actor sees, each saying whether it is the one in force. */
  async list(actor: Actor, now: Date): Promise<AcceptanceRuleSetView[]> {
    const published = await this.repo.published(this.db);
    // The sets in the trust list's order: what checkpoints choose from.
    const loaded = published.map((p) => {
      const r = loadAcceptanceRuleSet(JSON.parse(p.document) as unknown);
      return { row: p, set: r.ok ? r.ruleSet : undefined };
    });
    const sets = [...SHIPPED_ACCEPTANCE_RULE_SETS, ...loaded.flatMap((l) => (l.set ? [l.set] : []))];
    const inForce = (s: AcceptanceRuleSet | undefined) =>
      s !== undefined && ruleSetInForce(sets, s.province, now) === s;
    const views: AcceptanceRuleSetView[] = [
      ...SHIPPED_ACCEPTANCE_RULE_SETS.map((s) => ({
        id: s.id,
        version: s.version,
        province: s.province,
        validFrom: s.validFrom,
        publishedAt: null,
        inForce: inForce(s),
        shipped: true,
      })),
      ...loaded.map(({ row, set }) => ({
        id: row.id,
        version: row.version,
        province: provinceOf(row.owner),
        validFrom: row.validFrom,
        publishedAt: row.publishedAt,
        inForce: inForce(set),
        shipped: false,
      })),
    ];
    return views.filter((v) => seesRuleSet(actor, v.province));
  }

  /**
   * Who owns an id: a province's code, `null` for the national sets (shipped or published), undefined when the id
   * is free. A shipped set's id stays with its owner.
   */
  private async owner(id: string): Promise<string | null | undefined> {
    const shipped = SHIPPED_ACCEPTANCE_RULE_SETS.find((s) => s.id === id);
    if (shipped) return shipped.province;
    const published = await this.repo.owner(this.db, id);
    return published === undefined ? undefined : provinceOf(published);
  }

  /**
   * Everything publication checks, as problems (nothing is written): the document, then whether the actor may
   * publish for its province, whether its id belongs to another province (or to the national sets), and whether
   * its id and version are taken by another content (shipped or published).
   */
  async check(actor: Actor, doc: unknown): Promise<PublicationCheck<AcceptanceRuleSet>> {
    const loaded = loadAcceptanceRuleSet(doc);
    if (!loaded.ok) return { ok: false, code: 'YMT_ERR_RULE_SET_INVALID', problems: loaded.problems };
    const set = loaded.ruleSet;
    if (!mayPublishRuleSet(actor, set.province))
      return {
        ok: false,
        code: 'YMT_ERR_PROVINCE_FORBIDDEN',
        problems: [{ path: 'province', message: 'a province may publish only its own province’s rule sets' }],
      };
    const owner = await this.owner(set.id);
    if (owner !== undefined && owner !== set.province)
      return {
        ok: false,
        code: 'YMT_ERR_PROVINCE_FORBIDDEN',
        problems: [
          { path: 'id', message: 'this id belongs to another province’s (or the national) rule sets' },
        ],
      };
    const shipped = SHIPPED_ACCEPTANCE_RULE_SETS.some((s) => s.id === set.id && s.version === set.version);
    if (shipped || isOtherContent(await this.repo.document(this.db, set.id, set.version), doc))
      return { ok: false, code: 'YMT_ERR_RULE_SET_INVALID', problems: [VERSION_TAKEN] };
    return { ok: true, ruleSet: set };
  }

  /** Publishes a checked rule set; it takes effect at its validFrom. The same document again changes nothing. */
  async publish(
    actor: Actor,
    doc: unknown,
    now: Date,
  ): Promise<{ ruleSet: AcceptanceRuleSet; created: boolean }> {
    const check = await this.check(actor, doc);
    if (!check.ok) throw refusal(check);
    const set = check.ruleSet;
    const created = await inTransaction(this.db, async (trx) => {
      if ((await this.repo.document(trx, set.id, set.version)) !== undefined) return false;
      await this.repo.insert(
        trx,
        {
          id: set.id,
          version: set.version,
          owner: set.province ?? NATIONAL_RULE_SETS,
          validFrom: set.validFrom,
          document: JSON.stringify(doc),
        },
        now.getTime(),
      );
      await this.revision.bump(trx);
      await recordAct(trx, actor, now, {
        action: 'acceptance-rule-set.publish',
        subject: `${set.id}@${set.version}`,
      });
      return true;
    }).catch(async (e: unknown) => {
      // Another publication of this id and version came first: the same document is no change, another is refused.
      if (!isUniqueViolation(e)) throw e;
      if (isOtherContent(await this.repo.document(this.db, set.id, set.version), doc))
        throw refusal({ code: 'YMT_ERR_RULE_SET_INVALID', problems: [VERSION_TAKEN] });
      return false;
    });
    return { ruleSet: set, created };
  }
}
