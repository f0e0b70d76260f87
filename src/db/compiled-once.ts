/**
 * A query built and compiled once per database, then run with new values. Kysely builds and compiles every query
 * it runs; for the hub's hottest small reads that costs more than running the statement (a probe on SQLite, the
 * holder's session read: 12 000/s built every time, 38 000/s compiled once; docs/capacity.md#http-paths).
 *
 * `build` is called once with a placeholder for each value and must pass them to Kysely as values (never to shape
 * the SQL): each placeholder must appear among the compiled query's parameters, and every place it appears takes the
 * value given to the run. Parameters that are not placeholders (a `limit(1)`) are kept as compiled.
 */
import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './database.ts';

const placeholder = (i: number) => `\u0000ymt-value-${String(i)}\u0000`;

interface Compiled<R> {
  readonly query: CompiledQuery<R>;
  /** For each compiled parameter: the index of the value it takes, or -1 for a constant. */
  readonly takes: readonly number[];
}

export function compiledOnce<A extends readonly unknown[], R>(
  build: (db: Db, ...values: A) => Compilable<R>,
  arity: A['length'],
): (db: Db, ...values: A) => Promise<R[]> {
  const byDb = new WeakMap<Db, Compiled<R>>();
  const compile = (db: Db): Compiled<R> => {
    const marks = Array.from({ length: arity }, (_, i) => placeholder(i));
    const query = build(db, ...(marks as unknown as A)).compile();
    const takes = query.parameters.map((p) => (typeof p === 'string' ? marks.indexOf(p) : -1));
    marks.forEach((_, i) => {
      if (!takes.includes(i)) throw new TypeError(`compiledOnce: value ${String(i)} is not a parameter`);
    });
    if (marks.some((m) => query.sql.includes(m)))
      throw new TypeError('compiledOnce: a value shaped the SQL text');
    return { query, takes };
  };
  return async (db, ...values) => {
    let compiled = byDb.get(db);
    if (compiled === undefined) {
      compiled = compile(db);
      byDb.set(db, compiled);
    }
    const { query, takes } = compiled;
    const parameters = query.parameters.map((p, i) => {
      const k = takes[i] ?? -1;
      return k < 0 ? p : values[k];
    });
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}
