/** Every version of every declaration is kept; the body is encrypted with (person, version) as associated data. */
import { compiledOnce } from '../db/compiled-once.ts';
import type { Db } from '../db/database.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import type { DeclarationFields } from './declaration.domain.ts';

export interface StoredDeclaration extends DeclarationFields {
  readonly firstDeclaredAt: number;
}

export interface DeclarationVersion {
  readonly version: number;
  readonly modifiedOn: string | null;
  readonly createdAt: number;
  readonly body: StoredDeclaration;
}

/** Read for every status computed: compiled once (src/db/compiled-once.ts). */
const readLatest = compiledOnce(
  (db: Db, personId: string) =>
    db
      .selectFrom('declarations')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('version', 'desc')
      .limit(1),
  1,
);

export class DeclarationsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  private aad(personId: string, version: number): string {
    return `declarations.body:${personId}:${version}`;
  }

  async latest(db: Db, personId: string): Promise<DeclarationVersion | undefined> {
    const [row] = await readLatest(db, personId);
    if (!row) return undefined;
    return {
      version: row.version,
      modifiedOn: row.modified_on,
      createdAt: row.created_at,
      body: JSON.parse(
        this.cipher.decrypt(row.body_enc, this.aad(personId, row.version)),
      ) as StoredDeclaration,
    };
  }

  /** Fails with a unique violation when the version, or a modification on the same day, already exists. */
  async insert(db: Db, personId: string, v: DeclarationVersion): Promise<void> {
    await db
      .insertInto('declarations')
      .values({
        person_id: personId,
        version: v.version,
        modified_on: v.modifiedOn,
        created_at: v.createdAt,
        body_enc: this.cipher.encrypt(JSON.stringify(v.body), this.aad(personId, v.version)),
      })
      .execute();
  }

  async countVersions(db: Db, personId: string): Promise<number> {
    const row = await db
      .selectFrom('declarations')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
