/**
 * Registrars (`ymtr_…` credentials, made and stored as department tokens are: only their SHA-256 is kept, the
 * token is shown once) and the declarations they recorded, with the paper code each issued. Like every
 * repository, each method takes the database (or a transaction) first.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { newToken, tokenHash } from '../feeds/departments.repository.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';

export const REGISTRAR_TOKEN_PREFIX = 'ymtr_';

export interface Registrar {
  readonly registrarId: string;
  readonly name: string;
  /** GB/T 2260 code of the region they serve. */
  readonly region: string;
}

export interface Contact {
  readonly name: string;
  readonly phone: string;
}

export interface Registration {
  readonly id: string;
  readonly registrarId: string;
  readonly personId: string;
  readonly contact: Contact;
  readonly codeCti: string;
  readonly createdAt: number;
}

const contactAad = (id: string) => `registrations.contact:${id}`;

export class RegistrarsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  async create(db: Db, name: string, region: string, nowMs: number): Promise<Registrar & { token: string }> {
    const token = newToken(REGISTRAR_TOKEN_PREFIX);
    const registrarId = `r_${randomBytes(6).toString('hex')}`;
    await db
      .insertInto('registrars')
      .values({
        registrar_id: registrarId,
        name,
        region,
        token_hash: tokenHash(token),
        created_at: nowMs,
        disabled_at: null,
      })
      .execute();
    return { registrarId, name, region, token };
  }

  /** The registrar behind a token, unless unknown or disabled. */
  async byToken(db: Db, token: string): Promise<Registrar | undefined> {
    const row = await db
      .selectFrom('registrars')
      .select(['registrar_id', 'name', 'region'])
      .where('token_hash', '=', tokenHash(token))
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return row && { registrarId: row.registrar_id, name: row.name, region: row.region };
  }

  /** A registrar by id, disabled or not (their past registrations still name them). */
  async get(db: Db, registrarId: string): Promise<Registrar | undefined> {
    const row = await db
      .selectFrom('registrars')
      .select(['registrar_id', 'name', 'region'])
      .where('registrar_id', '=', registrarId)
      .executeTakeFirst();
    return row && { registrarId: row.registrar_id, name: row.name, region: row.region };
  }

  async list(db: Db): Promise<(Registrar & { createdAt: number; disabledAt: number | null })[]> {
    const rows = await db.selectFrom('registrars').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({
      registrarId: r.registrar_id,
      name: r.name,
      region: r.region,
      createdAt: r.created_at,
      disabledAt: r.disabled_at,
    }));
  }

  /** Disables a registrar; false when there is no such enabled registrar. */
  async disable(db: Db, registrarId: string, nowMs: number): Promise<boolean> {
    const r = await db
      .updateTable('registrars')
      .set({ disabled_at: nowMs })
      .where('registrar_id', '=', registrarId)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async insertRegistration(db: Db, r: Registration): Promise<void> {
    await db
      .insertInto('registrations')
      .values({
        id: r.id,
        registrar_id: r.registrarId,
        person_id: r.personId,
        contact_enc: this.cipher.encrypt(JSON.stringify(r.contact), contactAad(r.id)),
        code_cti: r.codeCti,
        created_at: r.createdAt,
      })
      .execute();
  }

  /** A registration, only for the registrar who recorded it. */
  async registration(db: Db, registrarId: string, id: string): Promise<Registration | undefined> {
    const row = await db
      .selectFrom('registrations')
      .selectAll()
      .where('id', '=', id)
      .where('registrar_id', '=', registrarId)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        registrarId: row.registrar_id,
        personId: row.person_id,
        contact: JSON.parse(this.cipher.decrypt(row.contact_enc, contactAad(row.id))) as Contact,
        codeCti: row.code_cti,
        createdAt: row.created_at,
      }
    );
  }
}
