/**
 * Real-name holders. Personal fields are encrypted with the row's id as associated data. Like every repository,
 * each method takes the database (or a transaction) first.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { compiledOnce } from '../db/compiled-once.ts';
import type { Db } from '../db/database.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import { documentKey, type DocumentRef, type HolderDocumentType } from './document.domain.ts';

/** What a holder is known by, as the lookup key needs it. */
type HolderDocument = Pick<DocumentRef, 'number' | 'nationality'> & { readonly type: HolderDocumentType };

export interface PersonInput {
  readonly doc: DocumentRef;
  /** Normalised name. */
  readonly name: string;
  readonly phone?: string | undefined;
}

export interface Person {
  readonly personId: string;
  readonly documentType: HolderDocumentType;
  readonly documentNumber: string;
  readonly nationality: string;
  readonly name: string;
  readonly phone: string | undefined;
}

/** Read for every status computed: compiled once (src/db/compiled-once.ts). */
const readLookupKeys = compiledOnce(
  (db: Db, personId: string) =>
    db.selectFrom('persons').select(['document_hash', 'phone_hash']).where('person_id', '=', personId),
  1,
);

export class PersonsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  documentHash(doc: HolderDocument): string {
    return this.cipher.index('doc', documentKey(doc));
  }

  nameHash(name: string): string {
    return this.cipher.index('name', name);
  }

  /**
   * Whether `name` is the one whose hash was found, compared in constant time — also when nothing was found, so
   * that timing does not tell a wrong document from a wrong name.
   */
  nameMatches(found: { nameHash: string } | undefined, name: string): boolean {
    const offered = Buffer.from(this.nameHash(name));
    const expected = Buffer.from(found?.nameHash ?? this.nameHash('\u0000'));
    const same = offered.length === expected.length && timingSafeEqual(offered, expected);
    return same && found !== undefined;
  }

  /** The person with this document (a registration number too, `registered`). */
  async findByDocument(
    db: Db,
    doc: HolderDocument,
  ): Promise<{ personId: string; nameHash: string } | undefined> {
    const row = await db
      .selectFrom('persons')
      .select(['person_id', 'name_hash'])
      .where('document_hash', '=', this.documentHash(doc))
      .executeTakeFirst();
    return row && { personId: row.person_id, nameHash: row.name_hash };
  }

  /** The person with this document hash, if any. */
  async personIdByHash(db: Db, documentHash: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('persons')
      .select('person_id')
      .where('document_hash', '=', documentHash)
      .executeTakeFirst();
    return row?.person_id;
  }

  /** Inserts the person, or updates name and phone of the person with the same document. */
  async upsert(db: Db, input: PersonInput, nowMs: number): Promise<{ personId: string; created: boolean }> {
    const existing = await this.findByDocument(db, input.doc);
    const personId = existing?.personId ?? randomUUID();
    const fields = {
      name_hash: this.nameHash(input.name),
      name_enc: this.cipher.encrypt(input.name, `persons.name:${personId}`),
      phone_enc:
        input.phone === undefined ? null : this.cipher.encrypt(input.phone, `persons.phone:${personId}`),
      // The keyed hash joins the holder to the telecom itinerary, which is keyed the same way.
      phone_hash: input.phone === undefined ? null : this.cipher.index('phone', input.phone),
      updated_at: nowMs,
    };
    if (existing) {
      await db.updateTable('persons').set(fields).where('person_id', '=', personId).execute();
      return { personId, created: false };
    }
    await db
      .insertInto('persons')
      .values({
        person_id: personId,
        document_type: input.doc.type,
        document_hash: this.documentHash(input.doc),
        document_number_enc: this.cipher.encrypt(input.doc.number, `persons.document_number:${personId}`),
        nationality: input.doc.nationality,
        created_at: nowMs,
        ...fields,
      })
      .execute();
    return { personId, created: true };
  }

  /**
   * A person a registrar recorded without ID card or passport (docs/registrars.md), known by the registration
   * number the hub gave: never a sign-in, never joined to a feed's evidence.
   */
  async insertRegistered(db: Db, number: string, name: string, nowMs: number): Promise<string> {
    const personId = randomUUID();
    await db
      .insertInto('persons')
      .values({
        person_id: personId,
        document_type: 'registered',
        document_hash: this.documentHash({ type: 'registered', number, nationality: '' }),
        document_number_enc: this.cipher.encrypt(number, `persons.document_number:${personId}`),
        nationality: '',
        name_hash: this.nameHash(name),
        name_enc: this.cipher.encrypt(name, `persons.name:${personId}`),
        phone_enc: null,
        phone_hash: null,
        created_at: nowMs,
        updated_at: nowMs,
      })
      .execute();
    return personId;
  }

  async get(db: Db, personId: string): Promise<Person | undefined> {
    const row = await db
      .selectFrom('persons')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      personId,
      documentType: row.document_type,
      documentNumber: this.cipher.decrypt(row.document_number_enc, `persons.document_number:${personId}`),
      nationality: row.nationality,
      name: this.cipher.decrypt(row.name_enc, `persons.name:${personId}`),
      phone:
        row.phone_enc === null ? undefined : this.cipher.decrypt(row.phone_enc, `persons.phone:${personId}`),
    };
  }

  /** The name from its stored ciphertext (read joined with other rows). */
  nameOfCiphertext(personId: string, nameEnc: string): string {
    return this.cipher.decrypt(nameEnc, `persons.name:${personId}`);
  }

  /** The keyed hashes that join a person to the feeds' evidence. */
  async lookupKeys(
    db: Db,
    personId: string,
  ): Promise<{ documentHash: string; phoneHash: string | null } | undefined> {
    const [row] = await readLookupKeys(db, personId);
    return row && { documentHash: row.document_hash, phoneHash: row.phone_hash };
  }

  async count(db: Db): Promise<number> {
    const row = await db
      .selectFrom('persons')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
