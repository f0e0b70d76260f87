/**
 * Frozen. The audit log (issue 17, Q11; docs/security.md#audit-log): every access to personal data by someone
 * other than the person and every administrative act, append-only and hash-chained.
 *
 * `audit_log`: one row per entry. `seq` is given under the head's lock (1, 2, 3, … without gaps); `hash` is
 * SHA-256 over the previous entry's hash and this entry's canonical JSON (src/audit/audit-chain.ts), so each
 * entry commits to all before it.
 *
 * `audit_head`: one row (id 1), the chain's last `seq` and `hash` — the lock appenders take, and what tells a
 * removed tail from a short log — and its base: the last entry retention removed (`base_seq`, `base_hash`; 0 and
 * 64 zeros while nothing was removed), where a check of the chain starts.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** The hash before the first entry. */
const GENESIS_HASH = '0'.repeat(64);

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_ref', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('base_seq', 'bigint', (c) => c.notNull())
    .addColumn('base_hash', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('audit_head')
    .values({ id: 1, seq: 0, hash: GENESIS_HASH, base_seq: 0, base_hash: GENESIS_HASH })
    .execute();
}
