/**
 * The provinces' part of the hub's trust list (src/signing/trust-list.service.ts): enrolled provinces, their
 * keys (revoked ones as revocations) and every published acceptance rule set, read at one revision.
 */
import { algorithmOfCurve, type SigningPublicJwk } from '../codec/crypto-provider.ts';
import { CODE_LIFETIME_SECONDS } from '../codec/token.ts';
import type { Db } from '../db/database.ts';
import type { AcceptanceRuleSetsRepository } from '../recognition/acceptance-rule-sets.repository.ts';
import type { TrustListRevisionRepository } from '../signing/trust-list-revision.repository.ts';
import type { FederationTrustInput } from '../signing/trust-list.service.ts';
import type { EnrolmentsRepository } from './enrolments.repository.ts';
import type { IssuerKeysRepository } from './issuer-keys.repository.ts';

const CODE_LIFETIME_MS = CODE_LIFETIME_SECONDS * 1000;

export class TrustInputService {
  constructor(
    private readonly db: Db,
    private readonly revisions: TrustListRevisionRepository,
    private readonly enrolments: EnrolmentsRepository,
    private readonly keys: IssuerKeysRepository,
    private readonly ruleSets: AcceptanceRuleSetsRepository,
  ) {}

  revision(): Promise<number> {
    return this.revisions.get(this.db);
  }

  async input(nowMs: number): Promise<FederationTrustInput> {
    const revision = await this.revision();
    const [provinces, keys, rules] = await Promise.all([
      this.enrolments.provinces(this.db),
      this.keys.listedSince(this.db, nowMs - CODE_LIFETIME_MS),
      this.ruleSets.published(this.db),
    ]);
    return {
      revision,
      provinces: provinces.map((p) => p.code),
      keys: keys
        .filter((k) => k.revokedAt === null)
        .map((k) => {
          const jwk = JSON.parse(k.publicJwk) as SigningPublicJwk;
          return {
            ...jwk,
            kid: k.kid,
            // The key's curve names its algorithm (a province may certify SM2 keys): the list binds the two.
            alg: algorithmOfCurve(jwk.crv),
            use: 'sig' as const,
            iss: k.iss,
            notBefore: new Date(k.notBefore).toISOString(),
            // A code signed at the last moment stays verifiable for its lifetime.
            notAfter: new Date(k.notAfter + CODE_LIFETIME_MS).toISOString(),
          };
        }),
      revoked: keys.flatMap((k) =>
        k.revokedAt === null
          ? []
          : [{ kid: k.kid, iss: k.iss, revokedAt: new Date(k.revokedAt).toISOString() }],
      ),
      ruleSetDocs: rules.map((r) => JSON.parse(r.document) as Record<string, unknown>),
    };
  }
}
