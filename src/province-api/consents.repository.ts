/**
 * Consent tokens (`consents`) a holder gives one province's checkpoints to read their national status: only the
 * token's SHA-256 is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

export class ConsentsRepository {
  /** A fresh token for one province. */
  async grant(
    db: Db,
    personId: string,
    audience: string,
    nowMs: number,
    ttlMs: number,
  ): Promise<{ token: string; expiresAt: number }> {
    const token = randomBytes(24).toString('base64url');
    const expiresAt = nowMs + ttlMs;
    await db
      .insertInto('consents')
      .values({
        token_hash: tokenHash(token),
        person_id: personId,
        audience,
        created_at: nowMs,
        expires_at: expiresAt,
      })
      .execute();
    return { token, expiresAt };
  }

  /** The person behind a token, if it is valid for this province now. */
  async personOf(db: Db, token: string, audience: string, nowMs: number): Promise<string | undefined> {
    const row = await db
      .selectFrom('consents')
      .select(['person_id', 'audience', 'expires_at'])
      .where('token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    if (!row || row.audience !== audience || row.expires_at <= nowMs) return undefined;
    return row.person_id;
  }
}
