/** Provinces' code-signing keys as their roots certified them (`issuer_keys`), with revocations. */
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { IssuerKeysTable } from '../db/schema.ts';
import type { KeyCertificate } from '../federation/key-certificate.ts';

export interface ProvinceKeyRow {
  readonly kid: string;
  readonly iss: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly revokedAt: number | null;
  readonly revokeReason: string | null;
}

/** A stored key with what identifies it: the issuer and the public key (JWK text). */
export interface StoredKey extends ProvinceKeyRow {
  readonly publicJwk: string;
}

function rowToKey(r: Selectable<IssuerKeysTable>): StoredKey {
  return {
    kid: r.kid,
    iss: r.iss,
    publicJwk: r.public_jwk,
    notBefore: r.not_before,
    notAfter: r.not_after,
    revokedAt: r.revoked_at,
    revokeReason: r.revoke_reason,
  };
}

export class IssuerKeysRepository {
  async key(db: Db, kid: string): Promise<StoredKey | undefined> {
    const r = await db.selectFrom('issuer_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
    return r && rowToKey(r);
  }

  async insert(
    db: Db,
    cert: KeyCertificate,
    window: { notBefore: number; notAfter: number },
    nowMs: number,
  ): Promise<void> {
    await db
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

  /** Replaces a key's certificate with one that ends earlier (a province shortens a retired key's life). */
  async shorten(db: Db, cert: KeyCertificate, notAfter: number, nowMs: number): Promise<void> {
    await db
      .updateTable('issuer_keys')
      .set({ not_after: notAfter, certificate: JSON.stringify(cert), uploaded_at: nowMs })
      .where('kid', '=', cert.kid)
      .execute();
  }

  async keysOf(db: Db, iss: string): Promise<StoredKey[]> {
    const rows = await db
      .selectFrom('issuer_keys')
      .selectAll()
      .where('iss', '=', iss)
      .orderBy('not_before')
      .execute();
    return rows.map(rowToKey);
  }

  /** Every province's keys in one query, by issuer, each issuer's oldest first (the console's and CLI's lists). */
  async keysByIssuer(db: Db): Promise<Map<string, StoredKey[]>> {
    const rows = await db
      .selectFrom('issuer_keys')
      .selectAll()
      .orderBy('iss')
      .orderBy('not_before')
      .execute();
    const byIssuer = new Map<string, StoredKey[]>();
    for (const r of rows) {
      const keys = byIssuer.get(r.iss) ?? [];
      keys.push(rowToKey(r));
      byIssuer.set(r.iss, keys);
    }
    return byIssuer;
  }

  /** Keys whose certificate ends at or after `sinceMs` (revoked ones too), by issuer, oldest first. */
  async listedSince(db: Db, sinceMs: number): Promise<StoredKey[]> {
    const rows = await db
      .selectFrom('issuer_keys')
      .selectAll()
      .where('not_after', '>=', sinceMs)
      .orderBy('iss')
      .orderBy('not_before')
      .execute();
    return rows.map(rowToKey);
  }

  /** Marks a key revoked; false when it already was (or does not exist). */
  async revoke(db: Db, kid: string, reason: string, nowMs: number): Promise<boolean> {
    const r = await db
      .updateTable('issuer_keys')
      .set({ revoked_at: nowMs, revoke_reason: reason })
      .where('kid', '=', kid)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
