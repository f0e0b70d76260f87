/**
 * Field staff (docs/registrars.md, docs/checkpoint-lookups.md): created, listed and disabled from the command line;
 * signed in by their credential, each role only at its own routes.
 */
import { audited, commandLineUser } from '../audit/audited.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { FastifyRequest } from 'fastify';
import { STAFF_TOKEN_PREFIX, type Staff, type StaffRepository, type StaffRole } from './staff.repository.ts';

const CREDENTIAL = /^Bearer\s+(ymt[rc]_[A-Za-z0-9_-]{20,100})$/i;

declare module 'fastify' {
  interface FastifyRequest {
    /** The member of staff signed in (field staff routes only). */
    staff: Staff;
  }
}

export class StaffService {
  constructor(
    private readonly db: Db,
    private readonly staff: StaffRepository,
  ) {}

  create(role: StaffRole, name: string, region: string, now: Date): ReturnType<StaffRepository['create']> {
    return audited(
      this.db,
      commandLineUser(),
      now,
      (trx) => this.staff.create(trx, role, name, region, now.getTime()),
      (s) => ({ action: `${role}.create`, subject: s.staffId, detail: { region } }),
    );
  }

  list(role: StaffRole): ReturnType<StaffRepository['list']> {
    return this.staff.list(this.db, role);
  }

  disable(role: StaffRole, staffId: string, now: Date): Promise<boolean> {
    return audited(
      this.db,
      commandLineUser(),
      now,
      (trx) => this.staff.disable(trx, role, staffId, now.getTime()),
      (done) => ({ action: `${role}.disable`, subject: staffId, detail: { done } }),
    );
  }

  get(staffId: string): Promise<Staff | undefined> {
    return this.staff.get(this.db, staffId);
  }

  /** The member of staff of that role behind an `Authorization` header, or 401 YMT_ERR_STAFF_UNAUTHENTICATED. */
  async signIn(role: StaffRole, authorization: string | undefined): Promise<Staff> {
    const token = CREDENTIAL.exec(authorization ?? '')?.[1];
    const s = token?.startsWith(STAFF_TOKEN_PREFIX[role])
      ? await this.staff.byToken(this.db, role, token)
      : undefined;
    if (!s) throw new AppError('YMT_ERR_STAFF_UNAUTHENTICATED');
    return s;
  }

  /**
   * A hook, run before the body is validated (a stranger learns nothing of it): the request's member of staff, in
   * that role (`request.staff`).
   */
  hook(role: StaffRole): (request: FastifyRequest) => Promise<void> {
    return async (request) => {
      request.staff = await this.signIn(role, request.headers.authorization);
    };
  }
}
