/** Department credentials (docs/feeds.md#credentials): created by `yimatong departments add`, shown once. */
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
    return this.departments.create(this.db, name, source, province, now.getTime());
  }

  /** The department behind a bearer token, unless unknown or revoked. */
  byToken(token: string): Promise<Department | undefined> {
    return this.departments.byToken(this.db, token);
  }

  list(): ReturnType<DepartmentsRepository['list']> {
    return this.departments.list(this.db);
  }

  revoke(departmentId: string, now: Date): Promise<boolean> {
    return this.departments.revoke(this.db, departmentId, now.getTime());
  }
}
