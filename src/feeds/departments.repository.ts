/**
 * Department credentials (MISSION.md Q1.2): each department sends one source, optionally for one province.
 * Only a SHA-256 of the bearer token is stored; the token is shown once, when it is created.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { FeedSource } from './feed-records.domain.ts';

export interface Department {
  readonly departmentId: string;
  readonly name: string;
  readonly source: FeedSource;
  readonly province: string | null;
}

/** What is stored of a bearer token: its SHA-256 (console accounts store theirs the same way). */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** A new bearer token: the prefix (`ymtd_`, `ymto_`) and 32 random bytes. */
export const newToken = (prefix: string): string => `${prefix}${randomBytes(32).toString('base64url')}`;

export class DepartmentsRepository {
  async create(
    db: Db,
    name: string,
    source: FeedSource,
    province: string | null,
    nowMs: number,
  ): Promise<Department & { token: string }> {
    const token = newToken('ymtd_');
    const departmentId = `d_${randomBytes(6).toString('hex')}`;
    await db
      .insertInto('departments')
      .values({
        department_id: departmentId,
        name,
        source,
        province,
        token_hash: tokenHash(token),
        created_at: nowMs,
        revoked_at: null,
      })
      .execute();
    return { departmentId, name, source, province, token };
  }

  /** The department behind a token, unless unknown or revoked. */
  async byToken(db: Db, token: string): Promise<Department | undefined> {
    const row = await db
      .selectFrom('departments')
      .selectAll()
      .where('token_hash', '=', tokenHash(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return (
      row && {
        departmentId: row.department_id,
        name: row.name,
        source: row.source as FeedSource,
        province: row.province,
      }
    );
  }

  async list(db: Db): Promise<(Department & { createdAt: number; revokedAt: number | null })[]> {
    const rows = await db.selectFrom('departments').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({
      departmentId: r.department_id,
      name: r.name,
      source: r.source as FeedSource,
      province: r.province,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    }));
  }

  async revoke(db: Db, departmentId: string, nowMs: number): Promise<boolean> {
    const r = await db
      .updateTable('departments')
      .set({ revoked_at: nowMs })
      .where('department_id', '=', departmentId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
