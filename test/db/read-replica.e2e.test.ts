/**
 * Issue 15: reads that tolerate a bounded lag go to a PostgreSQL streaming replica (DATABASE_READ_URL). A throwaway
 * cluster and a real replica of it (pg_basebackup, its own port): answers through the replica are the primary's;
 * no answer is older than READ_MAX_LAG_MS — when the replica falls behind (its replay paused) the reads go to the
 * primary, and back when it catches up; when the replica goes away no read fails, and it is used again when it
 * returns.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { needsPostgres, startApp, type TestApp } from '../helpers/context.ts';
import { bearer, BOB, confirmedCase, declaredHolder } from '../helpers/people.ts';
import { startThrowawayPg, type ThrowawayPg } from '../helpers/throwaway-pg.ts';
import { until } from '../helpers/until.ts';

const MAX_LAG_MS = 400;

const primary = needsPostgres().skip === undefined ? await startThrowawayPg() : undefined;
if (!primary && needsPostgres().skip === undefined)
  process.stdout.write('# skipped: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)\n');

describe(
  'a read replica (DATABASE_READ_URL)',
  needsPostgres().skip ? needsPostgres() : { skip: !primary },
  () => {
    let replica: ThrowawayPg;
    let hub: TestApp;
    let token = '';
    let onReplica: pg.Client;

    const status = async () => {
      const res = await hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(token) });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{ colour: string }>().colour;
    };
    const reads = () => hub.parts.replica?.state().reads ?? { replica: 0, primary: 0 };
    /** Waits for a probe to measure the replica within the bound, then checks that a read goes there again. */
    const backOnReplica = async (what: string) => {
      await until(what, () => (hub.parts.replica?.state().lagBoundMs ?? Infinity) <= MAX_LAG_MS, 20_000);
      const before = reads().replica;
      assert.equal(await status(), 'red');
      assert.ok(reads().replica > before, 'reads are back on the replica');
    };

    before(async () => {
      const cluster = primary as ThrowawayPg;
      replica = await cluster.replica();
      hub = await startApp('postgres', {
        env: {
          DATABASE_URL: cluster.url,
          DATABASE_READ_URL: replica.url,
          READ_MAX_LAG_MS: String(MAX_LAG_MS),
        },
      });
      token = await declaredHolder(hub, BOB);
      onReplica = new pg.Client({ connectionString: replica.url });
      await onReplica.connect();
      onReplica.on('error', () => undefined);
    });

    after(async () => {
      await onReplica.end().catch(() => undefined);
      await hub.close();
      primary?.destroy();
    });

    test('while the replica keeps up, the holder’s status is read there and is the primary’s', async () => {
      await until(
        'the replica measured within the bound',
        () => (hub.parts.replica?.state().lagBoundMs ?? Infinity) <= MAX_LAG_MS,
        20_000,
      );
      const before = reads();
      assert.equal(await status(), 'green');
      assert.equal(await status(), 'green');
      assert.ok(reads().replica > before.replica, 'status reads went to the replica');
      const metrics = await hub.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /^ymt_read_replica_lag_bound_seconds \d/m);
      assert.match(metrics.body, /^ymt_database_lagged_reads_total\{server="replica"\} [1-9]/m);
    });

    test('no answer is older than READ_MAX_LAG_MS: a replica that falls behind is left for the primary', async () => {
      await onReplica.query('SELECT pg_wal_replay_pause()');
      await confirmedCase(hub, BOB);
      const written = performance.now();
      // Read until the bound has passed, and for as long again: whatever the machine's load, a read begun after the
      // bound must show the write (the probe running late only makes the bound larger, sending reads to the primary).
      const seen: { at: number; colour: string }[] = [];
      while (performance.now() < written + 2 * MAX_LAG_MS + 200) {
        const at = performance.now();
        seen.push({ at, colour: await status() });
      }
      const late = seen.filter((s) => s.at > written + MAX_LAG_MS);
      assert.ok(late.length > 0);
      assert.deepEqual(
        new Set(late.map((s) => s.colour)),
        new Set(['red']),
        'a read past the bound saw the old colour',
      );
      const paused = hub.parts.replica?.state();
      assert.ok((paused?.lagBoundMs ?? 0) > MAX_LAG_MS, 'the replica is measured as behind');
      const onPrimary = reads().primary;
      assert.equal(await status(), 'red');
      assert.ok(reads().primary > onPrimary, 'reads went to the primary');

      await onReplica.query('SELECT pg_wal_replay_resume()');
      await backOnReplica('the replica caught up');
    });

    test('when the replica goes away no read fails, and it is used again when it returns', async () => {
      await onReplica.end();
      replica.stop();
      for (let i = 0; i < 20; i++) assert.equal(await status(), 'red');
      const gone = hub.parts.replica?.state();
      assert.equal(gone?.lagBoundMs, Infinity, 'the replica is not measured while it is away');
      const onPrimary = reads().primary;
      assert.equal(await status(), 'red');
      assert.ok(reads().primary > onPrimary);

      replica.start();
      await backOnReplica('the replica measured again');
    });
  },
);
