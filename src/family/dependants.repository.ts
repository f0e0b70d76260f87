/**
 * Links between a holder (the guardian) and the people they act for (docs/family.md). Ended links stay: they are
 * the record of who could act for whom, and when. Like every repository, each method takes the database (or a
 * transaction) first.
 */
import { PostgresAdapter, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { DependantsTable } from '../db/schema.ts';
import type { Consent, Relationship } from './family.domain.ts';

export interface DependantLink {
  readonly id: string;
  readonly guardianId: string;
  readonly personId: string;
  readonly relationship: Relationship;
  readonly consent: Consent;
  readonly createdAt: number;
}

const COLUMNS = ['id', 'guardian_id', 'person_id', 'relationship', 'consent', 'created_at'] as const;
type Row = Pick<DependantsTable, (typeof COLUMNS)[number]>;

const toLink = (r: Row): DependantLink => ({
  id: r.id,
  guardianId: r.guardian_id,
  personId: r.person_id,
  relationship: r.relationship as Relationship,
  consent: r.consent,
  createdAt: r.created_at,
});

export class DependantsRepository {
  /**
   * Within a transaction, serialises changes to the links of these people (PostgreSQL: transaction-scoped
   * advisory locks, taken in one order so two holders adding each other cannot deadlock; SQLite serialises every
   * write transaction already): the limits are counted and kept under it.
   */
  async lockPeople(trx: Db, personIds: readonly string[]): Promise<void> {
    if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
    for (const id of [...new Set(personIds)].sort())
      await sql`select pg_advisory_xact_lock(hashtext(${`family:${id}`}))`.execute(trx);
  }

  async insert(db: Db, link: DependantLink): Promise<void> {
    await db
      .insertInto('dependants')
      .values({
        id: link.id,
        guardian_id: link.guardianId,
        person_id: link.personId,
        relationship: link.relationship,
        consent: link.consent,
        created_at: link.createdAt,
      })
      .execute();
  }

  /** The live links a guardian holds, oldest first. */
  async ofGuardian(db: Db, guardianId: string): Promise<DependantLink[]> {
    const rows = await db
      .selectFrom('dependants')
      .select(COLUMNS)
      .where('guardian_id', '=', guardianId)
      .where('ended_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toLink);
  }

  /** The live links to a dependant, oldest first. */
  async ofDependant(db: Db, personId: string): Promise<DependantLink[]> {
    const rows = await db
      .selectFrom('dependants')
      .select(COLUMNS)
      .where('person_id', '=', personId)
      .where('ended_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toLink);
  }

  /** A live link by id, if `side` (the guardian or the dependant) is one of its two people. */
  async live(
    db: Db,
    id: string,
    side: { guardianId: string } | { personId: string },
  ): Promise<DependantLink | undefined> {
    const q = db.selectFrom('dependants').select(COLUMNS).where('id', '=', id).where('ended_at', 'is', null);
    const row = await (
      'guardianId' in side
        ? q.where('guardian_id', '=', side.guardianId)
        : q.where('person_id', '=', side.personId)
    ).executeTakeFirst();
    return row && toLink(row);
  }

  /** Ends a live link on behalf of one of its two people; false when there was no such live link. */
  async end(
    db: Db,
    id: string,
    side: { guardianId: string } | { personId: string },
    at: number,
  ): Promise<boolean> {
    const q = db.updateTable('dependants').where('id', '=', id).where('ended_at', 'is', null);
    const r = await (
      'guardianId' in side
        ? q.set({ ended_at: at, ended_by: 'guardian' }).where('guardian_id', '=', side.guardianId)
        : q.set({ ended_at: at, ended_by: 'dependant' }).where('person_id', '=', side.personId)
    ).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
