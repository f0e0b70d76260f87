/**
 * Frozen. Family members by proxy (issue 16, docs/family.md) and the holder's access history.
 *
 * `dependants`: a holder (the guardian) acts for another real-name person (the dependant) — an elderly parent, a
 * child: the relationship (what the dependant is to the holder), whose consent the link rests on (`guardian` for
 * a minor, `attested` when the holder attests an adult's agreement), when it began and, once ended, when and by
 * whom. At most one live link per pair (a partial unique index: ended links stay, as the record of who could act).
 *
 * `access_events`: every look-up of a person's data by someone other than the person — here a proxy's views and
 * changes — with who (`actor_kind`, `actor_ref`: for a proxy the guardian's person id, never their name), why
 * (`purpose`, a code from src/access/purposes.ts) and when. The person reads their own (`GET
 * /api/v1/me/access-history`), newest first.
 */
import { PostgresAdapter, sql, type ColumnDefinitionBuilderCallback, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serial: [string, 'bigint' | 'integer', ColumnDefinitionBuilderCallback] = pg
    ? ['id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()]
    : ['id', 'integer', (c) => c.primaryKey()];

  await db.schema
    .createTable('dependants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('guardian_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('consent', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('ended_by', 'text')
    .execute();
  await db.schema
    .createIndex('dependants_live_pair')
    .on('dependants')
    .columns(['guardian_id', 'person_id'])
    .unique()
    .where(sql.ref('ended_at'), 'is', null)
    .execute();
  await db.schema.createIndex('dependants_person').on('dependants').columns(['person_id']).execute();

  await db.schema
    .createTable('access_events')
    .addColumn(...serial)
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_ref', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_events_person')
    .on('access_events')
    .columns(['person_id', 'id'])
    .execute();
}
