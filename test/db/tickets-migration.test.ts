/**
 * Migration 0012 turns the reports of an older database into tickets of the one workflow (docs/corrections.md): an
 * open report is `routed` to its province with a first-answer deadline a day after it was filed, an answered one is
 * `closed` with its answer, and the old `status` column is gone (SQLite) or
 * left nullable and unused (PostgreSQL). Its own database: a migration run from scratch
 * would drop tables other test files' migrators list.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { migrateUpTo, openDatabase, type OpenDatabase } from '../../src/db/database.ts';
import { ENGINES, TEST_PG_URL } from '../helpers/context.ts';

const DAY_MS = 86_400_000;

for (const engine of ENGINES) {
  describe(`migration 0012, reports into the ticket workflow (${engine})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ymt-migration-'));
    let open: OpenDatabase | undefined;
    after(async () => {
      await open?.db.destroy();
      rmSync(dir, { recursive: true, force: true });
    });

    test('open reports are routed to their province, answered ones closed', async () => {
      open = await openDatabase({
        databaseUrl: engine === 'postgres' ? TEST_PG_URL : undefined,
        sqliteFile: join(dir, 'old.db'),
        ...(engine === 'postgres' ? { pgSchema: `t_${randomBytes(6).toString('hex')}` } : {}),
      });
      const db = open.db;
      await migrateUpTo(db, '2026-11-30-0011-record-corrections', open.schema);
      for (const [id, status, answer, at] of [
        ['t-open', 'open', null, 1_000],
        ['t-answered', 'answered', '已核实', 2_000],
      ] as const)
        await sql`INSERT INTO tickets (ticket_id, kind, person_id, province, region, details_enc, status, answer,
          created_at, updated_at) VALUES (${id}, 'non-recognition', 'p-1', '440000', '440305', 'x', ${status},
          ${answer}, ${at}, ${at + 500})`.execute(db);

      assert.deepEqual(await migrateUpTo(db, '2026-11-30-0012-corrections', open.schema), [
        '2026-11-30-0012-corrections',
      ]);
      const rows = await db
        .selectFrom('tickets')
        .select([
          'ticket_id',
          'state',
          'owner',
          'answer',
          'due_at',
          'first_answer_at',
          'resolved_at',
          'reopen_count',
        ])
        .orderBy('ticket_id')
        .execute();
      assert.deepEqual(
        rows.map((r) => [
          r.ticket_id,
          r.state,
          r.owner,
          r.answer,
          r.due_at,
          r.first_answer_at,
          r.resolved_at,
          r.reopen_count,
        ]),
        [
          ['t-answered', 'closed', 'province:440000', '已核实', null, 2_500, 2_500, 0],
          ['t-open', 'routed', 'province:440000', null, 1_000 + DAY_MS, null, null, 0],
        ],
      );
      // SQLite drops the old column; PostgreSQL keeps it, nullable and unused (see the migration). On PostgreSQL the
      // introspection lists every schema's tables (other test files' among them, at other migrations): this one's.
      const status = (await db.introspection.getTables())
        .find((t) => t.name === 'tickets' && (open?.schema === undefined || t.schema === open.schema))
        ?.columns.find((c) => c.name === 'status');
      if (engine === 'sqlite') assert.equal(status, undefined);
      else assert.equal(status?.isNullable, true);
    });
  });
}
