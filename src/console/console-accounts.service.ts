/**
 * Who signs in to the operations console: operators and provincial authorities with a console account
 * (`ymto_…`, `yimatong operators add`), departments with their feed credential (`ymtd_…`). Accounts are created
 * by the command line (the token is shown once) and disabled there.
 */
import { departmentActor } from '../feeds/department-auth.ts';
import type { Actor } from '../access/actor.ts';
import { audited, commandLineUser } from '../audit/audited.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { DepartmentsService } from '../feeds/departments.service.ts';
import {
  CONSOLE_TOKEN_PREFIX,
  type ConsoleAccount,
  type ConsoleAccountsRepository,
} from './console-accounts.repository.ts';

const CREDENTIAL = /^Bearer\s+(ymt[od]_[A-Za-z0-9_-]{20,100})$/i;
const DEPARTMENT_TOKEN_PREFIX = 'ymtd_';

export class ConsoleAccountsService {
  constructor(
    private readonly db: Db,
    private readonly accounts: ConsoleAccountsRepository,
    private readonly departments: DepartmentsService,
  ) {}

  /** An operator account, or a province authority's when `province` is given; its token, shown once. */
  create(name: string, province: string | null, now: Date): Promise<ConsoleAccount & { token: string }> {
    return audited(
      this.db,
      commandLineUser(),
      now,
      (trx) => this.accounts.create(trx, name, province, now.getTime()),
      (a) => ({ action: 'console-account.create', subject: a.accountId, detail: { role: a.role, province } }),
    );
  }

  list(): ReturnType<ConsoleAccountsRepository['list']> {
    return this.accounts.list(this.db);
  }

  disable(accountId: string, now: Date): Promise<boolean> {
    return audited(
      this.db,
      commandLineUser(),
      now,
      (trx) => this.accounts.disable(trx, accountId, now.getTime()),
      (done) => ({ action: 'console-account.disable', subject: accountId, detail: { done } }),
    );
  }

  /** The actor behind an `Authorization` header, or 401 YMT_ERR_CONSOLE_UNAUTHENTICATED. */
  async signIn(authorization: string | undefined): Promise<Actor> {
    const token = CREDENTIAL.exec(authorization ?? '')?.[1];
    if (token?.startsWith(CONSOLE_TOKEN_PREFIX)) {
      const a = await this.accounts.byToken(this.db, token);
      if (a?.role === 'operator') return { role: 'operator', name: a.name, accountId: a.accountId };
      if (a?.role === 'province' && a.province !== null)
        return { role: 'province', name: a.name, accountId: a.accountId, province: a.province };
    } else if (token?.startsWith(DEPARTMENT_TOKEN_PREFIX)) {
      const d = await this.departments.byToken(token);
      if (d) return departmentActor(d);
    }
    throw new AppError('YMT_ERR_CONSOLE_UNAUTHENTICATED');
  }
}
