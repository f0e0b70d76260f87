/** Issued codes (the token carries only a masked name, so it is stored as issued). */
import { compiledOnce } from '../db/compiled-once.ts';
import type { Db } from '../db/database.ts';
import type { CodeRow } from '../db/schema.ts';

/** What showing a code reads about its holder, in one statement. */
export interface ShowingRead {
  /** The name's ciphertext (PersonsRepository.nameOfCiphertext). */
  readonly nameEnc: string;
  readonly latest: CodeRow | undefined;
}

/** Every code shown reads this: compiled once (src/db/compiled-once.ts). */
const readShowing = compiledOnce(
  (db: Db, personId: string) =>
    db
      .selectFrom('persons as p')
      .leftJoin('codes as c', (join) =>
        join.on((eb) =>
          eb(
            'c.cti',
            '=',
            eb
              .selectFrom('codes')
              .select('cti')
              .where('person_id', '=', personId)
              .orderBy('issued_at', 'desc')
              .limit(1),
          ),
        ),
      )
      .select([
        'p.name_enc',
        'c.cti',
        'c.issuer',
        'c.kid',
        'c.colour as code_colour',
        'c.token',
        'c.issued_at',
        'c.expires_at as code_expires_at',
        'c.withdrawn_at',
      ])
      .where('p.person_id', '=', personId),
  1,
);

export class CodesRepository {
  /**
   * The holder's name and latest code in one statement (the status snapshot came with the session,
   * src/auth/sessions.repository.ts): undefined when there is no such person.
   */
  async showing(db: Db, personId: string): Promise<ShowingRead | undefined> {
    const [r] = await readShowing(db, personId);
    if (!r) return undefined;
    const latest: CodeRow | undefined =
      r.cti === null ||
      r.issuer === null ||
      r.kid === null ||
      r.code_colour === null ||
      r.token === null ||
      r.issued_at === null ||
      r.code_expires_at === null
        ? undefined
        : {
            cti: r.cti,
            person_id: personId,
            issuer: r.issuer,
            kid: r.kid,
            colour: r.code_colour,
            token: r.token,
            issued_at: r.issued_at,
            expires_at: r.code_expires_at,
            withdrawn_at: r.withdrawn_at,
          };
    return { nameEnc: r.name_enc, latest };
  }

  /** Who a code (by its hex id) was issued to. */
  async holderOf(db: Db, cti: string): Promise<string | undefined> {
    const row = await db.selectFrom('codes').select('person_id').where('cti', '=', cti).executeTakeFirst();
    return row?.person_id;
  }

  /** A code by its hex id. */
  async byCti(db: Db, cti: string): Promise<CodeRow | undefined> {
    return db.selectFrom('codes').selectAll().where('cti', '=', cti).executeTakeFirst();
  }

  async insert(db: Db, row: CodeRow): Promise<void> {
    await db.insertInto('codes').values(row).execute();
  }
}
