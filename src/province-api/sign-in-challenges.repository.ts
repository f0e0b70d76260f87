/**
 * Codes the hub sends a holder signing in at a province's node (`sign_in_challenges`, migration 0010): only a keyed
 * hash of the code is kept, with its province, its holder, the attempts made and when it was confirmed.
 */
import type { Db } from '../db/database.ts';

export interface Challenge {
  readonly challengeId: string;
  readonly province: string;
  readonly docHash: string;
  readonly codeHash: string;
  readonly attempts: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly confirmedAt: number | null;
}

export class SignInChallengesRepository {
  async create(db: Db, c: Omit<Challenge, 'attempts' | 'confirmedAt'>): Promise<void> {
    await db
      .insertInto('sign_in_challenges')
      .values({
        challenge_id: c.challengeId,
        province: c.province,
        doc_hash: c.docHash,
        code_hash: c.codeHash,
        attempts: 0,
        created_at: c.createdAt,
        expires_at: c.expiresAt,
        confirmed_at: null,
      })
      .execute();
  }

  async get(db: Db, challengeId: string): Promise<Challenge | undefined> {
    const r = await db
      .selectFrom('sign_in_challenges')
      .selectAll()
      .where('challenge_id', '=', challengeId)
      .executeTakeFirst();
    return (
      r && {
        challengeId: r.challenge_id,
        province: r.province,
        docHash: r.doc_hash,
        codeHash: r.code_hash,
        attempts: r.attempts,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        confirmedAt: r.confirmed_at,
      }
    );
  }

  /** How many codes were sent to a holder since `sinceMs`. */
  async sentSince(db: Db, docHash: string, sinceMs: number): Promise<number> {
    const r = await db
      .selectFrom('sign_in_challenges')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('doc_hash', '=', docHash)
      .where('created_at', '>', sinceMs)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async countAttempt(db: Db, challengeId: string): Promise<void> {
    await db
      .updateTable('sign_in_challenges')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('challenge_id', '=', challengeId)
      .execute();
  }

  /** Marks a challenge confirmed; false when it already was (a code is used once). */
  async confirm(db: Db, challengeId: string, nowMs: number): Promise<boolean> {
    const r = await db
      .updateTable('sign_in_challenges')
      .set({ confirmed_at: nowMs })
      .where('challenge_id', '=', challengeId)
      .where('confirmed_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
