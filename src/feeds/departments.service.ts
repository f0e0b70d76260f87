/** Department credentials (docs/feeds.md#credentials): created by `yimatong departments add`, shown once. */
import { audited, commandLineUser } from '../audit/audited.ts';
import type { Db } from '../db/database.ts';
import type { FeedSource } from './feed-records.domain.ts';
import type { Department, DepartmentsRepository } from './departments.repository.ts';

export class DepartmentsService {
  constructor(
    private readonly db: Db,
    private readonly departments: DepartmentsRepository,
  ) {}

  create(
    name: string,
    source: FeedSource,
    province: string | null,
    now: Date,
  ): Promise<Department & { token: string }> {
    return audited(
      this.db,
      commandLineUser(),
      now,
      (trx) => this.departments.create(trx, name, source, province, now.getTime()),
      (d) => ({ action: 'department.create', subject: d.departmentId, detail: { source, province } }),
    );
  }

  /** The department behind a bearer token, unless unknown or revoked. */
  byToken(token: string): Promise<Department | undefined> {
    return this.departments.byToken(this.db, token);
  }

  list(): ReturnType<DepartmentsRepository['list']> {
    return this.departments.list(this.db);
  }

  revoke(departmentId: string, now: Date): Promise<boolean> {
    return audited(
      this.db,
      commandLineUser(),
      now,
      (trx) => this.departments.revoke(trx, departmentId, now.getTime()),
      (done) => ({ action: 'department.revoke', subject: departmentId, detail: { done } }),
    );
  }
}
