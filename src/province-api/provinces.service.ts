/**
 * The provinces' enrolment at the hub: enrolling (or re-keying) a province, where its node listens, its access
 * key for checking signed requests, and the overview the console and `yimatong provinces list` show.
 */
import type { KeyObject } from 'node:crypto';
import { provinceNodeActor, seesProvince, type Actor } from '../access/actor.ts';
import { audited, commandLineUser, recordAct } from '../audit/audited.ts';
import { inTransaction, type Db } from '../db/database.ts';
import { AppError, fieldProblem } from '../errors/app-error.ts';
import type { Enrolment } from '../federation/enrolment.ts';
import { checkNodeUrl, type NodeUrlPolicy } from '../federation/node-url.domain.ts';
import { publicKeyOfJwk } from '../federation/key-certificate.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { TrustListRevisionRepository } from '../signing/trust-list-revision.repository.ts';
import type { EnrolledProvince, EnrolmentsRepository } from './enrolments.repository.ts';
import type { HoldersRepository } from './holders.repository.ts';
import type { IssuerKeysRepository } from './issuer-keys.repository.ts';
import type { EcPublicJwk } from '../codec/crypto-provider.ts';

export interface ProvinceOverview {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly enrolled: boolean;
  readonly rootKid: string | null;
  readonly nodeUrl: string | null;
  readonly keys: readonly {
    readonly kid: string;
    readonly notBefore: number;
    readonly notAfter: number;
    readonly revokedAt: number | null;
    readonly revokedReason: string | null;
  }[];
  readonly lastStatusPush: number | null;
}

export class ProvincesService {
  private readonly accessKeys = new Map<string, { json: string; key: KeyObject }>();

  constructor(
    private readonly db: Db,
    private readonly registry: ProvinceRegistry,
    private readonly enrolments: EnrolmentsRepository,
    private readonly keys: IssuerKeysRepository,
    private readonly holders: HoldersRepository,
    private readonly revision: TrustListRevisionRepository,
    /** Which node URLs the hub accepts (node-url.domain.ts; NODE_URLS_ALLOW_LOCAL for development). */
    private readonly nodeUrls: NodeUrlPolicy,
  ) {}

  /** Enrols a province, or replaces its keys (a compromised root or access key is replaced this way). */
  async enrol(e: Enrolment, now: Date): Promise<{ created: boolean }> {
    return inTransaction(this.db, async (trx) => {
      const r = await this.enrolments.upsert(trx, e, now.getTime());
      await this.revision.bump(trx);
      await recordAct(trx, commandLineUser(), now, {
        action: r.created ? 'province.enrol' : 'province.replace-keys',
        subject: e.code,
      });
      return r;
    });
  }

  /** Enrols unless the province is enrolled with these very keys (what `yimatong federation` does at start). */
  async enrolUnlessSame(e: Enrolment, now: Date): Promise<{ changed: boolean }> {
    const known = await this.province(e.code);
    const same =
      known !== undefined && sameJwk(known.rootJwk, e.rootJwk) && sameJwk(known.accessJwk, e.accessJwk);
    if (!same) await this.enrol(e, now);
    return { changed: !same };
  }

  province(code: string): Promise<EnrolledProvince | undefined> {
    return this.enrolments.province(this.db, code);
  }

  /**
   * Where the province's node listens: the hub calls it there, signed. Refused (YMT_ERR_NODE_URL_REFUSED) unless
   * the URL passes the node URL rule; every entry point comes here. The problem, for the log, in `problem`.
   */
  async setNodeUrl(code: string, url: string, now: Date): Promise<{ url: string }> {
    const checked = checkNodeUrl(url, this.nodeUrls);
    if (!checked.ok)
      throw Object.assign(
        new AppError('YMT_ERR_NODE_URL_REFUSED', [fieldProblem('url', 'YMT_ERR_NODE_URL_REFUSED')]),
        {
          problem: checked.problem,
        },
      );
    await audited(
      this.db,
      provinceNodeActor(code),
      now,
      (trx) => this.enrolments.setNodeUrl(trx, code, checked.url, now.getTime()),
      () => ({ action: 'province.node-url', subject: code, detail: { url: checked.url } }),
    );
    return { url: checked.url };
  }

  /** The province's access key, imported once per key. */
  async accessKey(code: string): Promise<KeyObject | undefined> {
    const json = await this.enrolments.accessJwk(this.db, code);
    if (json === undefined) return undefined;
    const cached = this.accessKeys.get(code);
    if (cached?.json === json) return cached.key;
    const key = publicKeyOfJwk(JSON.parse(json) as EcPublicJwk);
    this.accessKeys.set(code, { json, key });
    return key;
  }

  /** The provincial units the actor sees, with their enrolment, keys and last status push (three queries). */
  async overview(actor: Actor): Promise<ProvinceOverview[]> {
    const [provinces, keysByIssuer, pushes] = await Promise.all([
      this.enrolments.provinces(this.db),
      this.keys.keysByIssuer(this.db),
      this.holders.lastStatusPushes(this.db),
    ]);
    const enrolled = new Map(provinces.map((p) => [p.code, p]));
    return this.registry
      .all()
      .filter((u) => seesProvince(actor, u.code))
      .map((unit) => {
        const e = enrolled.get(unit.code);
        return {
          code: unit.code,
          name: unit.name,
          nameEn: unit.nameEn,
          enrolled: e !== undefined,
          rootKid: e?.rootKid ?? null,
          nodeUrl: e?.nodeUrl ?? null,
          keys: (e ? (keysByIssuer.get(unit.code) ?? []) : []).map((k) => ({
            kid: k.kid,
            notBefore: k.notBefore,
            notAfter: k.notAfter,
            revokedAt: k.revokedAt,
            revokedReason: k.revokeReason,
          })),
          lastStatusPush: e ? (pushes.get(unit.code) ?? null) : null,
        };
      });
  }
}

const sameJwk = (a: EcPublicJwk, b: EcPublicJwk) => a.x === b.x && a.y === b.y;
