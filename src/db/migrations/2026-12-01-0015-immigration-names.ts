/**
 * Frozen. Foreign passport holders signing in from the immigration record (issue 16, Q10; docs/identity-provider.md).
 *
 * `manifests.name_hash`: on an immigration record that names the traveller (the feed's optional `name`, as on the
 * passport), the keyed hash of the normalised name — the name itself is never kept. Null on every other record.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('manifests').addColumn('name_hash', 'text').execute();
}
