/**
 * Field staff: registrars (`ymtr_…`) and checkpoint staff (`ymtc_…`), each with the region they serve. Credentials
 * are made and stored as department tokens are: only their SHA-256 is kept, the token is shown once. Like every
 * repository, each method takes the database (or a transaction) first.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { FieldStaffTable } from '../db/schema.ts';
import { newToken, tokenHash } from '../feeds/departments.repository.ts';

export type StaffRole = FieldStaffTable['role'];

/** The credential's prefix tells the role. */
export const STAFF_TOKEN_PREFIX: Readonly<Record<StaffRole, string>> = {
  registrar: 'ymtr_',
  checkpoint: 'ymtc_',
};

export interface Staff {
  readonly staffId: string;
  readonly role: StaffRole;
  readonly name: string;
  /** GB/T 2260 code of the region they serve. */
  readonly region: string;
}

const toStaff = (r: Pick<FieldStaffTable, 'staff_id' | 'role' | 'name' | 'region'>): Staff => ({
  staffId: r.staff_id,
  role: r.role,
  name: r.name,
  region: r.region,
});

export class StaffRepository {
  async create(
    db: Db,
    role: StaffRole,
    name: string,
    region: string,
    nowMs: number,
  ): Promise<Staff & { token: string }> {
    const token = newToken(STAFF_TOKEN_PREFIX[role]);
    const staffId = `s_${randomBytes(6).toString('hex')}`;
    await db
      .insertInto('field_staff')
      .values({
        staff_id: staffId,
        role,
        name,
        region,
        token_hash: tokenHash(token),
        created_at: nowMs,
        disabled_at: null,
      })
      .execute();
    return { staffId, role, name, region, token };
  }

  /** The member of staff behind a token, in that role, unless unknown or disabled. */
  async byToken(db: Db, role: StaffRole, token: string): Promise<Staff | undefined> {
    const row = await db
      .selectFrom('field_staff')
      .select(['staff_id', 'role', 'name', 'region'])
      .where('token_hash', '=', tokenHash(token))
      .where('role', '=', role)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return row && toStaff(row);
  }

  /** By id, disabled or not (what they did still names them). */
  async get(db: Db, staffId: string): Promise<Staff | undefined> {
    const row = await db
      .selectFrom('field_staff')
      .select(['staff_id', 'role', 'name', 'region'])
      .where('staff_id', '=', staffId)
      .executeTakeFirst();
    return row && toStaff(row);
  }

  async list(db: Db, role: StaffRole): Promise<(Staff & { createdAt: number; disabledAt: number | null })[]> {
    const rows = await db
      .selectFrom('field_staff')
      .selectAll()
      .where('role', '=', role)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({ ...toStaff(r), createdAt: r.created_at, disabledAt: r.disabled_at }));
  }

  /** Disables a member of staff of that role; false when there is no such enabled one. */
  async disable(db: Db, role: StaffRole, staffId: string, nowMs: number): Promise<boolean> {
    const r = await db
      .updateTable('field_staff')
      .set({ disabled_at: nowMs })
      .where('staff_id', '=', staffId)
      .where('role', '=', role)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
