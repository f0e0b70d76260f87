/**
 * The operations console's work beyond reading rows: area risk entries set by an operator (one small batch
 * through the department ingestion, so everything a feed batch sets off follows), acceptance rule sets listed
 * with the one in force, checked and published under the same rules as the province API, and the provinces'
 * enrolment, keys and pushes. Who may do what is console-access.ts; the routes enforce it.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AppContext } from '../app/context.ts';
import { AppError, fieldProblem } from '../errors/app-error.ts';
import { parseFeedRecord, type RISK_LEVELS } from '../feeds/feed-records.domain.ts';
import { SHIPPED_ACCEPTANCE_RULE_SETS } from '../recognition/acceptance.registry.ts';
import {
  loadAcceptanceRuleSet,
  ruleSetInForce,
  type AcceptanceRuleSet,
} from '../recognition/acceptance-rule-set.ts';
import type { RuleSet, RuleSetProblem } from '../rule-sets/rule-set.ts';
import { BASELINE_RULE_SET } from '../risk/baseline.ts';
import { ruleSetName } from '../risk/risk-engine.ts';
import { checkStatusRuleSet } from '../risk/status-rule-sets.service.ts';
import { zonedInstant } from '../time/calendar.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { mayPublishRuleSet, seesProvince, seesRuleSet, type ConsoleUser } from './console-access.ts';
import { NATIONAL_RULE_SETS, type ConsoleRepository } from './console.repository.ts';

export interface AreaRiskInput {
  readonly areaCode: string;
  readonly level: (typeof RISK_LEVELS)[number];
  readonly validFrom: string;
  readonly validTo: string;
  readonly authority?: string;
}

export interface RuleSetView {
  readonly id: string;
  readonly version: string;
  readonly province: string | null;
  readonly validFrom: number;
  readonly publishedAt: number | null;
  readonly inForce: boolean;
  readonly shipped: boolean;
}

export type PublicationCheck =
  | { readonly ok: true; readonly ruleSet: AcceptanceRuleSet }
  | { readonly ok: false; readonly problems: RuleSetProblem[]; readonly forbidden: boolean };

export interface ProvinceView {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly enrolled: boolean;
  readonly nodeUrl: string | null;
  readonly keys: {
    kid: string;
    notBefore: number;
    notAfter: number;
    revoked: boolean;
    revokedReason: string | null;
  }[];
  readonly lastStatusPush: number | null;
}

/** The feed record's field names as the console's body names them. */
const AREA_RISK_FIELD: Readonly<Record<string, string>> = { from: 'validFrom', to: 'validTo' };

const provinceOf = (owner: string): string | null => (owner === NATIONAL_RULE_SETS ? null : owner);

export interface StatusRuleSetView {
  readonly id: string;
  readonly version: string;
  readonly validFrom: number;
  readonly publishedAt: number | null;
  readonly publishedBy: string | null;
  readonly shipped: boolean;
  readonly inForce: boolean;
}

/** A refused publication: each problem of the document as a field problem (its message as the validator wrote it). */
function refused(
  code: 'YMT_ERR_RULE_SET_INVALID' | 'YMT_ERR_CONSOLE_FORBIDDEN',
  problems: readonly RuleSetProblem[],
): AppError {
  return new AppError(
    code,
    problems.map((p) => ({ ...fieldProblem(p.path, code), message: p.message, messageEn: p.message })),
  );
}

export class ConsoleService {
  constructor(
    private readonly ctx: AppContext,
    private readonly repo: ConsoleRepository,
  ) {}

  /**
   * Sets an area's risk level for a period: validated as an area-risk feed record, then ingested as a batch of
   * one (`console-<ms>-<random>`, national, source `area-risk`) — provenance, status snapshots and exposures
   * follow exactly as for a department's batch.
   */
  async setAreaRisk(
    input: AreaRiskInput,
    defaultAuthority: string,
    now: Date,
  ): Promise<{ batchId: string; accepted: number }> {
    const raw = {
      areaCode: input.areaCode,
      level: input.level,
      from: input.validFrom,
      to: input.validTo,
      authority: input.authority ?? defaultAuthority.slice(0, 100),
    };
    const parsed = parseFeedRecord('area-risk', raw, shanghaiDate(now));
    if (!parsed.ok) {
      throw new AppError(parsed.code, [
        fieldProblem(AREA_RISK_FIELD[parsed.field] ?? parsed.field, parsed.code),
      ]);
    }
    const batchId = `console-${String(now.getTime())}-${randomBytes(4).toString('hex')}`;
    const report = await this.ctx.feeds.ingest(Readable.from([JSON.stringify(raw)]), {
      source: 'area-risk',
      format: 'ndjson',
      batchId,
      province: null,
      now,
    });
    return { batchId, accepted: report.accepted };
  }

  /**
   * Ends an area risk entry early (an operator's correction; the entry itself stays as published): at `endsAt`,
   * or now; at or before its start it is withdrawn. Only brings an end forward. Every status snapshot is dropped,
   * as after an area-risk batch.
   */
  async endAreaRisk(
    end: { batchId: string; line: number; endsAt?: string | undefined; reason: string },
    by: string,
    now: Date,
  ): Promise<{ batchId: string; line: number; endsAt: number; withdrawn: boolean }> {
    const entry = await this.repo.areaRiskEntry(end.batchId, end.line);
    if (!entry) throw new AppError('YMT_ERR_NOT_FOUND');
    const asked = end.endsAt === undefined ? now.getTime() : zonedInstant(end.endsAt);
    if (asked === undefined)
      throw new AppError('YMT_ERR_FEED_DATE', [fieldProblem('endsAt', 'YMT_ERR_FEED_DATE')]);
    const endsAt = Math.max(asked, entry.validFrom);
    const currentEnd = Math.min(entry.validTo, entry.endsAt ?? entry.validTo);
    if (endsAt >= currentEnd)
      throw new AppError('YMT_ERR_AREA_RISK_ALREADY_ENDED', [
        fieldProblem('endsAt', 'YMT_ERR_AREA_RISK_ALREADY_ENDED'),
      ]);
    await this.repo.endAreaRisk(
      { batchId: end.batchId, line: end.line, endsAt, by, reason: end.reason },
      now.getTime(),
    );
    await this.ctx.snapshots.invalidateAll();
    return { batchId: end.batchId, line: end.line, endsAt, withdrawn: endsAt === entry.validFrom };
  }

  /** Shipped and published acceptance rule sets the user sees, each saying whether it is the one in force. */
  async ruleSets(user: ConsoleUser, now: Date): Promise<RuleSetView[]> {
    const published = await this.repo.publishedRuleSets();
    // The sets in the trust list's order: what checkpoints choose from.
    const loaded = published.map((p) => {
      const r = loadAcceptanceRuleSet(JSON.parse(p.document) as unknown);
      return { row: p, set: r.ok ? r.ruleSet : undefined };
    });
    const sets = [...SHIPPED_ACCEPTANCE_RULE_SETS, ...loaded.flatMap((l) => (l.set ? [l.set] : []))];
    const inForce = (s: AcceptanceRuleSet | undefined) =>
      s !== undefined && ruleSetInForce(sets, s.province, now) === s;
    const views: RuleSetView[] = [
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
    return views.filter((v) => seesRuleSet(user, v.province));
  }

  /**
   * Everything publication checks, as problems: the document (the province API's validation), then whether the
   * user may publish for its province, whether its id belongs to another province (or to the national sets),
   * and whether its id and version are taken by another content.
   */
  async checkPublication(user: ConsoleUser, doc: unknown): Promise<PublicationCheck> {
    const loaded = loadAcceptanceRuleSet(doc);
    if (!loaded.ok) return { ok: false, problems: loaded.problems, forbidden: false };
    const set = loaded.ruleSet;
    if (!mayPublishRuleSet(user, set.province)) {
      return {
        ok: false,
        forbidden: true,
        problems: [
          { path: 'province', message: 'this account may publish only its own province’s rule sets' },
        ],
      };
    }
    const owner = await this.ctx.federation.ruleSetProvince(set.id);
    if (owner !== undefined && owner !== set.province) {
      return {
        ok: false,
        forbidden: true,
        problems: [
          { path: 'id', message: 'this id belongs to another province’s (or the national) rule sets' },
        ],
      };
    }
    const taken = SHIPPED_ACCEPTANCE_RULE_SETS.some((s) => s.id === set.id && s.version === set.version);
    const existing = await this.repo.publishedDocument(set.id, set.version);
    if (taken || (existing !== undefined && existing !== JSON.stringify(doc))) {
      return {
        ok: false,
        forbidden: false,
        problems: [
          {
            path: 'version',
            message: 'this id and version exist with another content: publish a new version',
          },
        ],
      };
    }
    return { ok: true, ruleSet: set };
  }

  /** Publishes a checked rule set; it takes effect at its validFrom. */
  async publish(
    user: ConsoleUser,
    doc: Record<string, unknown>,
    now: Date,
  ): Promise<{ ruleSet: AcceptanceRuleSet; created: boolean }> {
    const check = await this.checkPublication(user, doc);
    if (!check.ok)
      throw refused(
        check.forbidden ? 'YMT_ERR_CONSOLE_FORBIDDEN' : 'YMT_ERR_RULE_SET_INVALID',
        check.problems,
      );
    const set = check.ruleSet;
    const { created } = await this.ctx.federation.publishRuleSet(
      {
        id: set.id,
        version: set.version,
        province: set.province ?? NATIONAL_RULE_SETS,
        validFrom: set.validFrom,
      },
      doc,
      now.getTime(),
    );
    return { ruleSet: set, created };
  }

  /** The status rule sets: the shipped baseline and every published version, each saying whether it decides now. */
  async statusRuleSets(now: Date): Promise<StatusRuleSetView[]> {
    const inForce = ruleSetName(await this.ctx.statusRules.inForce(now));
    const published = await this.ctx.statusRules.published();
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

  /** What publishing a status rule set would refuse, as problems (nothing is written). */
  async checkStatusPublication(
    doc: unknown,
  ): Promise<{ ok: true; ruleSet: RuleSet } | { ok: false; problems: RuleSetProblem[] }> {
    const checked = checkStatusRuleSet(doc);
    if (!checked.ok) return checked;
    const existing = await this.ctx.statusRules.document(checked.ruleSet.id, checked.ruleSet.version);
    if (existing !== undefined && existing !== JSON.stringify(doc))
      return {
        ok: false,
        problems: [
          {
            path: 'version',
            message: 'this id and version exist with another content: publish a new version',
          },
        ],
      };
    return checked;
  }

  /**
   * Publishes a status rule set; it decides colours from its validFrom (every snapshot made under another set is
   * computed again when read).
   */
  async publishStatus(
    user: ConsoleUser,
    doc: Record<string, unknown>,
    now: Date,
  ): Promise<{ ruleSet: RuleSet; created: boolean }> {
    const check = await this.checkStatusPublication(doc);
    if (!check.ok) throw refused('YMT_ERR_RULE_SET_INVALID', check.problems);
    const { created } = await this.ctx.statusRules.publish(
      check.ruleSet,
      JSON.stringify(doc),
      user.name,
      now,
    );
    return { ruleSet: check.ruleSet, created };
  }

  /** The provincial units the user sees, with their enrolment, keys and last status push. */
  async provinces(user: ConsoleUser): Promise<ProvinceView[]> {
    const [provinces, keysByIssuer, pushes] = await Promise.all([
      this.ctx.federation.provinces(),
      this.ctx.federation.keysByIssuer(),
      this.repo.lastStatusPushes(),
    ]);
    const enrolled = new Map(provinces.map((p) => [p.code, p]));
    const views: ProvinceView[] = [];
    for (const unit of this.ctx.provinces.all().filter((u) => seesProvince(user, u.code))) {
      const e = enrolled.get(unit.code);
      const keys = e ? (keysByIssuer.get(unit.code) ?? []) : [];
      views.push({
        code: unit.code,
        name: unit.name,
        nameEn: unit.nameEn,
        enrolled: e !== undefined,
        nodeUrl: e?.nodeUrl ?? null,
        keys: keys.map((k) => ({
          kid: k.kid,
          notBefore: k.notBefore,
          notAfter: k.notAfter,
          revoked: k.revokedAt !== null,
          revokedReason: k.revokeReason,
        })),
        lastStatusPush: e ? (pushes.get(unit.code) ?? null) : null,
      });
    }
    return views;
  }
}
