/** Sign-in sessions: only a SHA-256 of the bearer token is stored. */
import { createHash, randomBytes } from 'node:crypto';
import { compiledOnce } from '../db/compiled-once.ts';
import type { Db } from '../db/database.ts';
import { JOINED_SNAPSHOT, snapshotOfJoined, type Snapshot } from '../status/status-snapshots.repository.ts';

/** A session, and its holder's stored status snapshot read in the same statement. */
export interface SessionRead {
  readonly personId: string;
  readonly expiresAt: number;
  /**
   * What the holder's most frequent requests (their code, their status) read next: joined here, one statement
   * instead of two (issue 15; docs/capacity.md#http-paths). Undefined when none is stored.
   */
  readonly snapshot: Snapshot | undefined;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Every request of a holder reads this: compiled once (src/db/compiled-once.ts). */
const readSession = compiledOnce(
  (db: Db, tokenHash: string) =>
    db
      .selectFrom('sessions as x')
      .leftJoin('status_snapshots as s', 's.person_id', 'x.person_id')
      .select(['x.person_id', 'x.expires_at', ...JOINED_SNAPSHOT])
      .where('x.token_hash', '=', tokenHash),
  1,
);

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

  /** The session's person, expiry and holder's status snapshot, or undefined for an unknown token. */
  async find(db: Db, token: string): Promise<SessionRead | undefined> {
    const [row] = await readSession(db, hashToken(token));
    return row && { personId: row.person_id, expiresAt: row.expires_at, snapshot: snapshotOfJoined(row) };
  }

  async delete(db: Db, token: string): Promise<void> {
    await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
  }

  async deleteExpired(db: Db, nowMs: number): Promise<number> {
    const r = await db.deleteFrom('sessions').where('expires_at', '<', nowMs).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
