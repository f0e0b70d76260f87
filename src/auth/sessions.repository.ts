/** Sign-in sessions: only a SHA-256 of the bearer token is stored. */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export class SessionsRepository {
  async create(
    db: Db,
    personId: string,
    nowMs: number,
    ttlSeconds: number,
  ): Promise<{ token: string; expiresAt: number }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = nowMs + ttlSeconds * 1000;
    await db
      .insertInto('sessions')
      .values({ token_hash: hashToken(token), person_id: personId, created_at: nowMs, expires_at: expiresAt })
      .execute();
    return { token, expiresAt };
  }

  /** The session's person and expiry, or undefined for an unknown token. */
  async find(db: Db, token: string): Promise<{ personId: string; expiresAt: number } | undefined> {
    const row = await db
      .selectFrom('sessions')
      .select(['person_id', 'expires_at'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    return row && { personId: row.person_id, expiresAt: row.expires_at };
  }

  async delete(db: Db, token: string): Promise<void> {
    await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
  }

  async deleteExpired(db: Db, nowMs: number): Promise<number> {
    const r = await db.deleteFrom('sessions').where('expires_at', '<', nowMs).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
