/**
 * Named prepared statements on PostgreSQL. Kysely sends every statement unnamed, so the server parses and plans it
 * each time; for the hub's small statements that is most of the server's work (a probe, the holder's session read
 * from 50 callers over 10 connections: about 4 300 round trips/s unnamed, 9 000 named; docs/capacity.md#http-paths).
 * Each pooled connection names the statements it runs, so the server parses each once per connection (and plans
 * it by its own rule for prepared statements: custom plans first, a generic plan when that is no worse).
 *
 * - Only data statements (SELECT, INSERT, UPDATE, DELETE, WITH) with parameters given as an array are named:
 *   schema changes, transaction control and COPY run as before.
 * - At most PREPARED_PER_CONNECTION names per connection: the hub has a few hundred statement shapes, `IN (…)`
 *   lists of every length could add more without end; later texts run unnamed.
 * - A table changed by another process after a statement was prepared (a rolling upgrade's migration) is no
 *   trouble: the server checks a prepared statement against the schema when it runs it, re-plans it if needed, and
 *   the client reads each answer's columns from the answer (node-pg describes every portal it executes).
 */
import type pg from 'pg';

export const PREPARED_PER_CONNECTION = 200;

const DATA_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i;

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/** Makes `client` name the data statements it runs (a pooled connection, when it is made). */
export function preparingStatements(client: pg.ClientBase): void {
  const original = client.query.bind(client) as Query;
  const names = new Map<string, string>();
  const query: Query = (config, values, callback) => {
    if (
      typeof config !== 'string' ||
      !Array.isArray(values) ||
      callback !== undefined ||
      !DATA_STATEMENT.test(config)
    )
      return original(config, values, callback);
    let name = names.get(config);
    if (name === undefined) {
      if (names.size >= PREPARED_PER_CONNECTION) return original(config, values);
      name = `ymt_${String(names.size + 1)}`;
      names.set(config, name);
    }
    return original({ name, text: config, values });
  };
  client.query = query as typeof client.query;
}
