/**
 * Prepared statements kept for reuse on SQLite. Kysely's SQLite driver prepares every query it runs; preparing
 * (parsing and planning the SQL) cost about as much as running the hub's small look-ups, ≈ 10 % of a code's CPU
 * under load (docs/capacity.md#overload). The hub's queries come from a few hundred shapes, so the last
 * STATEMENTS_KEPT are kept by their SQL text. A statement that is busy (a stream still iterating it) is not
 * shared: the caller gets a fresh one.
 */
import type { Database as SQLiteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Enough for every query shape the hub has, with room for `IN (…)` lists of many lengths. */
export const STATEMENTS_KEPT = 512;

export function cachingStatements(sqlite: SQLiteDatabase, kept = STATEMENTS_KEPT): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    prepare(sql: string) {
      const known = statements.get(sql);
      if (known !== undefined && !known.busy) {
        // Most recently used last: the first key is the one to drop.
        statements.delete(sql);
        statements.set(sql, known);
        return known;
      }
      const fresh = sqlite.prepare(sql);
      if (known === undefined) {
        statements.set(sql, fresh);
        if (statements.size > kept) {
          const oldest = statements.keys().next();
          if (oldest.done !== true) statements.delete(oldest.value);
        }
      }
      return fresh;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}
