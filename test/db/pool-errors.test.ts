/**
 * A PostgreSQL connection checked out between two statements whose server ends it does not end the process
 * (src/db/database.ts, newPgPool). Found by test/http/database-outage.e2e.test.ts on a busy machine: the
 * hub exited with "Unhandled 'error' event … on Client" when the cluster stopped while a transaction ran
 * JavaScript between its statements. Here the connection's own backend is ended (`pg_terminate_backend`), on the
 * shared server, nothing else touched.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.ts';
import { needsPostgres, TEST_PG_URL } from '../helpers/context.ts';

test(
  'a connection ended by its server while a transaction holds it fails that transaction, not the process',
  needsPostgres(),
  async () => {
    const { db } = await openDatabase({
      databaseUrl: TEST_PG_URL,
      sqliteFile: '',
      pgSchema: `t_${randomBytes(6).toString('hex')}`,
    });
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    try {
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
          await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
          // The server's notice arrives while the connection is held and idle: an 'error' event on it.
          await new Promise((r) => setTimeout(r, 300));
          await sql`SELECT 1`.execute(trx);
        }),
      );
      // The pool dropped the dead connection: the next statement gets a new one.
      const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
      assert.equal(rows[0]?.one, 1);
    } finally {
      await admin.end();
      await db.destroy();
    }
  },
);
