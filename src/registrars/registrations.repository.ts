/**
 * The declarations registrars recorded, with the paper code each issued (docs/registrars.md); the contact person is
 * kept encrypted. Like every repository, each method takes the database (or a transaction) first.
 */
import type { Db } from '../db/database.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';

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

export class RegistrationsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  async insert(db: Db, r: Registration): Promise<void> {
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
  async get(db: Db, registrarId: string, id: string): Promise<Registration | undefined> {
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
