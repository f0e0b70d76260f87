/**
 * The hub's side of the federation, in its database: enrolled provinces and their keys, the code-signing keys
 * they certified, revocations, the rule sets they published, and the revision that tells the trust list to
 * rebuild. docs/federation.md.
 */
import type { KeyObject } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { IssuerKeysTable, ProvincesEnrolledTable } from '../db/schema.ts';
import type { EcPublicJwk } from '../codec/crypto-provider.ts';
import type { TrustListKeyJwk, TrustListRevocation } from '../codec/trust-list.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import { SHIPPED_ACCEPTANCE_RULE_SETS } from '../recognition/acceptance.registry.ts';
import { kidOfJwk, publicKeyOfJwk, type KeyCertificate } from '../federation/key-certificate.ts';

/**
 * The owner under which a national acceptance rule set is published (published_rule_sets.province is not null;
 * the document itself says `province: null`). No provincial code can take it.
 */
export const NATIONAL_RULE_SETS = 'national';

export interface EnrolledProvince {
  readonly code: string;
  readonly rootJwk: EcPublicJwk;
  readonly rootKid: string;
  readonly accessJwk: EcPublicJwk;
  readonly nodeUrl: string | null;
  readonly enrolledAt: number;
}

/** What a province hands the hub operator to enrol (public keys only): `yimatong province init` writes it. */
export interface Enrolment {
  readonly format: 'yimatong-enrolment/1';
  readonly code: string;
  readonly rootJwk: EcPublicJwk;
  readonly accessJwk: EcPublicJwk;
}

export interface ProvinceKeyRow {
  readonly kid: string;
  readonly iss: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly revokedAt: number | null;
  readonly revokeReason: string | null;
}

export interface FederationTrustInput {
  readonly revision: number;
  readonly provinces: readonly string[];
  readonly keys: readonly TrustListKeyJwk[];
  readonly revoked: readonly TrustListRevocation[];
  readonly ruleSetDocs: readonly Record<string, unknown>[];
}

const jwkOf = (text: string): EcPublicJwk => JSON.parse(text) as EcPublicJwk;

export class FederationRepository {
  private readonly accessKeys = new Map<string, { json: string; key: KeyObject }>();

  constructor(private readonly db: Db) {}

  async revision(): Promise<number> {
    const row = await this.db
      .selectFrom('federation_revision')
      .select('revision')
      .where('id', '=', 1)
      .executeTakeFirst();
    return row?.revision ?? 0;
  }

  private async bump(): Promise<void> {
    await this.db
      .updateTable('federation_revision')
      .set({ revision: sql<number>`revision + 1` })
      .where('id', '=', 1)
      .execute();
  }

  /** Enrols a province, or replaces its keys (a compromised root or access key is replaced this way). */
  async enrol(e: Enrolment, nowMs: number): Promise<{ created: boolean }> {
    const fields = {
      root_jwk: JSON.stringify(e.rootJwk),
      root_kid: kidOfJwk(e.rootJwk),
      access_jwk: JSON.stringify(e.accessJwk),
      updated_at: nowMs,
    };
    const existing = await this.province(e.code);
    if (existing) {
      await this.db.updateTable('provinces_enrolled').set(fields).where('code', '=', e.code).execute();
    } else {
      await this.db
        .insertInto('provinces_enrolled')
        .values({ code: e.code, node_url: null, enrolled_at: nowMs, ...fields })
        .execute();
    }
    await this.bump();
    return { created: !existing };
  }

  async province(code: string): Promise<EnrolledProvince | undefined> {
    const r = await this.db
      .selectFrom('provinces_enrolled')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst();
    return r && rowToProvince(r);
  }

  async provinces(): Promise<EnrolledProvince[]> {
    const rows = await this.db.selectFrom('provinces_enrolled').selectAll().orderBy('code').execute();
    return rows.map(rowToProvince);
  }

  /** The province's access key, imported once per key. */
  async accessKey(code: string): Promise<KeyObject | undefined> {
    const row = await this.db
      .selectFrom('provinces_enrolled')
      .select('access_jwk')
      .where('code', '=', code)
      .executeTakeFirst();
    if (!row) return undefined;
    const cached = this.accessKeys.get(code);
    if (cached?.json === row.access_jwk) return cached.key;
    const key = publicKeyOfJwk(jwkOf(row.access_jwk));
    this.accessKeys.set(code, { json: row.access_jwk, key });
    return key;
  }

  async setNodeUrl(code: string, url: string, nowMs: number): Promise<void> {
    await this.db
      .updateTable('provinces_enrolled')
      .set({ node_url: url, updated_at: nowMs })
      .where('code', '=', code)
      .execute();
  }

  /**
   * Lists a certified key. The same key may be certified again only with a window that ends no later (a
   * province shortens a retired key's life this way); a kid already used by another key, or by the hub, is a
   * collision; a revoked key stays revoked.
   */
  async addKey(
    cert: KeyCertificate,
    window: { notBefore: number; notAfter: number },
    reservedKids: ReadonlySet<string>,
    nowMs: number,
  ): Promise<{ changed: boolean }> {
    if (reservedKids.has(cert.kid)) throw new AppError('YMT_ERR_KID_COLLISION');
    const existing = await this.db
      .selectFrom('issuer_keys')
      .selectAll()
      .where('kid', '=', cert.kid)
      .executeTakeFirst();
    if (existing) {
      if (existing.iss !== cert.iss || existing.public_jwk !== JSON.stringify(cert.publicJwk))
        throw new AppError('YMT_ERR_KID_COLLISION');
      if (existing.revoked_at !== null) throw new AppError('YMT_ERR_KEY_REVOKED');
      if (window.notAfter >= existing.not_after) return { changed: false };
      await this.db
        .updateTable('issuer_keys')
        .set({ not_after: window.notAfter, certificate: JSON.stringify(cert), uploaded_at: nowMs })
        .where('kid', '=', cert.kid)
        .execute();
    } else {
      await this.db
        .insertInto('issuer_keys')
        .values({
          kid: cert.kid,
          iss: cert.iss,
          public_jwk: JSON.stringify(cert.publicJwk),
          not_before: window.notBefore,
          not_after: window.notAfter,
          certificate: JSON.stringify(cert),
          uploaded_at: nowMs,
          revoked_at: null,
          revoke_reason: null,
        })
        .execute();
    }
    await this.bump();
    return { changed: true };
  }

  async key(kid: string): Promise<ProvinceKeyRow | undefined> {
    const r = await this.db.selectFrom('issuer_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
    return r && rowToKey(r);
  }

  async keysOf(iss: string): Promise<ProvinceKeyRow[]> {
    const rows = await this.db
      .selectFrom('issuer_keys')
      .selectAll()
      .where('iss', '=', iss)
      .orderBy('not_before')
      .execute();
    return rows.map(rowToKey);
  }

  /** Every province's keys in one query, by issuer, each issuer's oldest first (the console's and CLI's lists). */
  async keysByIssuer(): Promise<Map<string, ProvinceKeyRow[]>> {
    const rows = await this.db
      .selectFrom('issuer_keys')
      .selectAll()
      .orderBy('iss')
      .orderBy('not_before')
      .execute();
    const byIssuer = new Map<string, ProvinceKeyRow[]>();
    for (const r of rows) {
      const keys = byIssuer.get(r.iss) ?? [];
      keys.push(rowToKey(r));
      byIssuer.set(r.iss, keys);
    }
    return byIssuer;
  }

  /** Emergency revocation: the key leaves the trust list's keys and joins its revocations. */
  async revokeKey(kid: string, reason: string, nowMs: number): Promise<{ changed: boolean }> {
    const r = await this.db
      .updateTable('issuer_keys')
      .set({ revoked_at: nowMs, revoke_reason: reason })
      .where('kid', '=', kid)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const changed = Number(r.numUpdatedRows) > 0;
    if (changed) await this.bump();
    return { changed };
  }

  /** Publishes a validated rule set; the same id and version with another content is refused. */
  async publishRuleSet(
    set: { id: string; version: string; province: string; validFrom: number },
    doc: Record<string, unknown>,
    nowMs: number,
  ): Promise<{ created: boolean }> {
    const text = JSON.stringify(doc);
    const existing = await this.db
      .selectFrom('published_rule_sets')
      .select('document')
      .where('rule_set_id', '=', set.id)
      .where('version', '=', set.version)
      .executeTakeFirst();
    if (existing) {
      if (existing.document !== text) throw new AppError('YMT_ERR_RULE_SET_INVALID');
      return { created: false };
    }
    await this.db
      .insertInto('published_rule_sets')
      .values({
        rule_set_id: set.id,
        version: set.version,
        province: set.province,
        valid_from: set.validFrom,
        document: text,
        published_at: nowMs,
      })
      .execute();
    await this.bump();
    return { created: true };
  }

  /** Who the rule set id belongs to, if anyone published it. */
  /**
   * Who owns an acceptance rule set id: a province's code, `null` for the national sets (shipped or published),
   * undefined when the id is free. A shipped set's id stays with its owner.
   */
  async ruleSetProvince(id: string): Promise<string | null | undefined> {
    const shipped = SHIPPED_ACCEPTANCE_RULE_SETS.find((s) => s.id === id);
    if (shipped) return shipped.province;
    const published = await this.ruleSetOwner(id);
    if (published === undefined) return undefined;
    return published === NATIONAL_RULE_SETS ? null : published;
  }

  async ruleSetOwner(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('published_rule_sets')
      .select('province')
      .where('rule_set_id', '=', id)
      .executeTakeFirst();
    return row?.province;
  }

  /** Everything the trust list needs from the federation, at one revision. */
  async trustInput(nowMs: number, codeLifetimeMs: number): Promise<FederationTrustInput> {
    const revision = await this.revision();
    const [provinces, keys, rules] = await Promise.all([
      this.db.selectFrom('provinces_enrolled').select('code').orderBy('code').execute(),
      this.db
        .selectFrom('issuer_keys')
        .selectAll()
        .where('not_after', '>=', nowMs - codeLifetimeMs)
        .orderBy('iss')
        .orderBy('not_before')
        .execute(),
      this.db
        .selectFrom('published_rule_sets')
        .select('document')
        .orderBy('province')
        .orderBy('valid_from')
        .execute(),
    ]);
    return {
      revision,
      provinces: provinces.map((p) => p.code),
      keys: keys
        .filter((k) => k.revoked_at === null)
        .map((k) => ({
          ...jwkOf(k.public_jwk),
          kid: k.kid,
          alg: 'ES256' as const,
          use: 'sig' as const,
          iss: k.iss,
          notBefore: new Date(k.not_before).toISOString(),
          // A code signed at the last moment stays verifiable for its lifetime.
          notAfter: new Date(k.not_after + codeLifetimeMs).toISOString(),
        })),
      revoked: keys
        .filter((k) => k.revoked_at !== null)
        .map((k) => ({ kid: k.kid, iss: k.iss, revokedAt: new Date(k.revoked_at ?? 0).toISOString() })),
      ruleSetDocs: rules.map((r) => JSON.parse(r.document) as Record<string, unknown>),
    };
  }
}

function rowToProvince(r: Selectable<ProvincesEnrolledTable>): EnrolledProvince {
  return {
    code: r.code,
    rootJwk: jwkOf(r.root_jwk),
    rootKid: r.root_kid,
    accessJwk: jwkOf(r.access_jwk),
    nodeUrl: r.node_url,
    enrolledAt: r.enrolled_at,
  };
}

function rowToKey(r: Selectable<IssuerKeysTable>): ProvinceKeyRow {
  return {
    kid: r.kid,
    iss: r.iss,
    notBefore: r.not_before,
    notAfter: r.not_after,
    revokedAt: r.revoked_at,
    revokeReason: r.revoke_reason,
  };
}
