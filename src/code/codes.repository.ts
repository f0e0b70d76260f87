/** Issued codes (the token carries only a masked name, so it is stored as issued). */
import type { Db } from '../db/database.ts';
import type { CodeRow } from '../db/schema.ts';
import { snapshotOfRow, type Snapshot } from '../status/status-snapshots.repository.ts';

/** What showing a code reads about its holder, in one statement. */
export interface ShowingRead {
  /** The name's ciphertext (PersonsRepository.nameOfCiphertext). */
  readonly nameEnc: string;
  readonly latest: CodeRow | undefined;
  readonly snapshot: Snapshot | undefined;
}

export class CodesRepository {
  /**
   * The holder's name, latest code and stored status snapshot in one statement (showing a code made three before):
   * undefined when there is no such person.
   */
  async showing(db: Db, personId: string): Promise<ShowingRead | undefined> {
    const r = await db
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
      .leftJoin('status_snapshots as s', 's.person_id', 'p.person_id')
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
        's.colour as snapshot_colour',
        's.reasons',
        's.rule_set',
        's.declared',
        's.computed_at',
        's.expires_at as snapshot_expires_at',
        's.external_known',
        's.external_as_of',
      ])
      .where('p.person_id', '=', personId)
      .executeTakeFirst();
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
    const snapshot =
      r.snapshot_colour === null ||
      r.reasons === null ||
      r.rule_set === null ||
      r.declared === null ||
      r.computed_at === null ||
      r.snapshot_expires_at === null ||
      r.external_known === null
        ? undefined
        : snapshotOfRow({
            colour: r.snapshot_colour,
            reasons: r.reasons,
            rule_set: r.rule_set,
            declared: r.declared,
            computed_at: r.computed_at,
            expires_at: r.snapshot_expires_at,
            external_known: r.external_known,
            external_as_of: r.external_as_of,
          });
    return { nameEnc: r.name_enc, latest, snapshot };
  }

  /** Who a code (by its hex id) was issued to. */
  async holderOf(db: Db, cti: string): Promise<string | undefined> {
    const row = await db.selectFrom('codes').select('person_id').where('cti', '=', cti).executeTakeFirst();
    return row?.person_id;
  }

  async insert(db: Db, row: CodeRow): Promise<void> {
    await db.insertInto('codes').values(row).execute();
  }
}
