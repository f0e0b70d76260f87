/**
 * Provinces' code-signing keys at the hub: uploading a key a province root certified (or a shorter certificate
 * for a key it retires), listing a province's keys, and emergency revocation — one service, whichever entry point
 * (the province API, the operations console, `yimatong provinces revoke-key`) asks. Every change bumps the trust
 * list's revision in the same transaction.
 */
import { provinceNodeActor, seesProvince, type Actor } from '../access/actor.ts';
import { recordAct } from '../audit/audited.ts';
import { inTransaction, type Db } from '../db/database.ts';
import { AppError, requiredText } from '../errors/app-error.ts';
import { checkKeyCertificate } from '../federation/key-certificate.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { TrustListRevisionRepository } from '../signing/trust-list-revision.repository.ts';
import type { EnrolmentsRepository } from './enrolments.repository.ts';
import type { IssuerKeysRepository, StoredKey } from './issuer-keys.repository.ts';

/** Longest revocation reason, as the console and the province API take it. */
export const REVOKE_REASON_MAX = 500;

export interface RevokeRequest {
  readonly kid: string;
  readonly reason: string;
  /** The province the caller says the key is of (the console's path); the key must be of it. */
  readonly province?: string;
}

export class IssuerKeysService {
  constructor(
    private readonly db: Db,
    private readonly registry: ProvinceRegistry,
    private readonly enrolments: EnrolmentsRepository,
    private readonly keys: IssuerKeysRepository,
    private readonly revision: TrustListRevisionRepository,
    /** Kids the hub itself uses at `now` (its signing keys and its anchor): no province may take one. */
    private readonly hubKids: (now: Date) => ReadonlySet<string>,
  ) {}

  /**
   * Lists a key the province's root certified. The same key may be certified again only with a window that ends
   * no later; a kid already used by another key, or by the hub, is a collision; a revoked key stays revoked.
   */
  async upload(
    province: string,
    certificate: unknown,
    now: Date,
  ): Promise<{ kid: string; changed: boolean }> {
    const enrolled = await this.enrolments.province(this.db, province);
    if (!enrolled) throw new AppError('YMT_ERR_PEER_UNAUTHENTICATED');
    const check = checkKeyCertificate(
      certificate,
      { iss: province, root: enrolled.rootJwk, rootKid: enrolled.rootKid },
      now.getTime(),
    );
    if (!check.ok)
      throw new AppError('YMT_ERR_KEY_CERTIFICATE_INVALID', [
        {
          field: 'certificate',
          code: 'YMT_ERR_KEY_CERTIFICATE_INVALID',
          message: check.problem,
          messageEn: check.problem,
        },
      ]);
    const cert = check.certificate;
    if (this.hubKids(now).has(cert.kid)) throw new AppError('YMT_ERR_KID_COLLISION');
    const changed = await inTransaction(this.db, async (trx) => {
      const existing = await this.keys.key(trx, cert.kid);
      if (existing) {
        if (existing.iss !== cert.iss || existing.publicJwk !== JSON.stringify(cert.publicJwk))
          throw new AppError('YMT_ERR_KID_COLLISION');
        if (existing.revokedAt !== null) throw new AppError('YMT_ERR_KEY_REVOKED');
        if (check.notAfter >= existing.notAfter) return false;
        await this.keys.shorten(trx, cert, check.notAfter, now.getTime());
      } else {
        await this.keys.insert(trx, cert, check, now.getTime());
      }
      await this.revision.bump(trx);
      await recordAct(trx, provinceNodeActor(province), now, {
        action: existing ? 'issuer-key.shorten' : 'issuer-key.add',
        subject: cert.kid,
        detail: { province },
      });
      return true;
    });
    return { kid: cert.kid, changed };
  }

  /** A province's own keys, oldest first. */
  keysOf(province: string): Promise<StoredKey[]> {
    return this.keys.keysOf(this.db, province);
  }

  /**
   * Emergency revocation: the key leaves the trust list's keys and joins its revocations, so its codes fail
   * everywhere at the next refresh. A key the actor may not see (another province's) is as good as unknown.
   */
  async revoke(
    actor: Actor,
    request: RevokeRequest,
    now: Date,
  ): Promise<{ kid: string; province: string; changed: boolean }> {
    const reason = requiredText('reason', request.reason, REVOKE_REASON_MAX);
    if (request.province !== undefined && !this.registry.get(request.province))
      throw new AppError('YMT_ERR_PROVINCE_UNKNOWN');
    const key = await this.keys.key(this.db, request.kid);
    if (
      !key ||
      !seesProvince(actor, key.iss) ||
      (request.province !== undefined && key.iss !== request.province)
    )
      throw new AppError('YMT_ERR_NOT_FOUND');
    const changed = await inTransaction(this.db, async (trx) => {
      const revoked = await this.keys.revoke(trx, key.kid, reason, now.getTime());
      if (revoked) await this.revision.bump(trx);
      await recordAct(trx, actor, now, {
        action: 'issuer-key.revoke',
        subject: key.kid,
        detail: { province: key.iss, done: revoked },
      });
      return revoked;
    });
    return { kid: key.kid, province: key.iss, changed };
  }
}
