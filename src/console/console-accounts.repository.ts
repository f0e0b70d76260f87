/**
 * Operations console accounts: national operations staff (`operator`) and provincial authorities (`province`,
 * bound to one of the 32 units). Tokens are `ymto_…`, made and stored exactly as department tokens are (only
 * their SHA-256 is kept; the token is shown once, when the account is created). A disabled account signs in
 * no more.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { ConsoleAccountsTable } from '../db/schema.ts';
import { newToken, tokenHash } from '../feeds/departments.repository.ts';

export const CONSOLE_TOKEN_PREFIX = 'ymto_';

export type ConsoleAccountRole = ConsoleAccountsTable['role'];

export interface ConsoleAccount {
  readonly accountId: string;
  readonly name: string;
  readonly role: ConsoleAccountRole;
  /** The provincial unit of a province account; null for an operator. */
  readonly province: string | null;
}

export class ConsoleAccountsRepository {
  /** An operator account, or a province account when `province` is given; its token, shown once. */
  async create(
    db: Db,
    name: string,
    province: string | null,
    nowMs: number,
  ): Promise<ConsoleAccount & { token: string }> {
    const token = newToken(CONSOLE_TOKEN_PREFIX);
    const accountId = `o_${randomBytes(6).toString('hex')}`;
    const role: ConsoleAccountRole = province === null ? 'operator' : 'province';
    await db
      .insertInto('console_accounts')
      .values({
        account_id: accountId,
        name,
        role,
        province,
        token_hash: tokenHash(token),
        created_at: nowMs,
        disabled_at: null,
      })
      .execute();
    return { accountId, name, role, province, token };
  }

  /** The account behind a token, unless unknown or disabled. */
  async byToken(db: Db, token: string): Promise<ConsoleAccount | undefined> {
    const row = await db
      .selectFrom('console_accounts')
      .select(['account_id', 'name', 'role', 'province'])
      .where('token_hash', '=', tokenHash(token))
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return row && { accountId: row.account_id, name: row.name, role: row.role, province: row.province };
  }

  async list(db: Db): Promise<(ConsoleAccount & { createdAt: number; disabledAt: number | null })[]> {
    const rows = await db.selectFrom('console_accounts').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({
      accountId: r.account_id,
      name: r.name,
      role: r.role,
      province: r.province,
      createdAt: r.created_at,
      disabledAt: r.disabled_at,
    }));
  }

  /** Disables an account; false when there is no such enabled account. */
  async disable(db: Db, accountId: string, nowMs: number): Promise<boolean> {
    const r = await db
      .updateTable('console_accounts')
      .set({ disabled_at: nowMs })
      .where('account_id', '=', accountId)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
