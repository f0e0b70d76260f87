/**
 * The audit log on both engines (src/audit): entries chained under the head's lock, even when written at once;
 * written with the act or not at all; `verify` names the first edited, deleted, inserted or moved entry and a
 * removed tail; an anchor signed by the hub catches a chain rewritten after it; retention moves the base.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { AuditFacts } from '../../src/audit/audit-chain.ts';
import { AuditLogRepository } from '../../src/audit/audit-log.repository.ts';
import { inTransaction } from '../../src/db/database.ts';
import { ENGINES, startContext, type TestHub } from '../helpers/context.ts';

const facts = (i: number, at = Date.parse('2026-11-27T02:00:00Z') + i * 1000): AuditFacts => ({
  at,
  actorKind: 'operator',
  actorRef: `o_${i}`,
  action: 'operator.create',
  subject: `o_${i + 1}`,
  detail: JSON.stringify({ i }),
});

for (const engine of ENGINES) {
  describe(`audit log (${engine})`, () => {
    let hub: TestHub;
    before(async () => {
      hub = await startContext(engine);
    });
    after(() => hub.close());

    const audit = () => hub.parts.services.audit;
    /** Retention's step (src/retention/retention.service.ts runs it in chunks): one chunk holds these few. */
    const purge = (before: number) => new AuditLogRepository().purgeBefore(db(), before, 10_000);
    const db = () => hub.parts.db;
    /** Runs raw SQL on the log, as an insider with the database's credentials would. */
    const tamper = (q: ReturnType<typeof sql>) => q.execute(db());

    test('entries written at once are chained without a gap, and the chain verifies', async () => {
      await Promise.all(Array.from({ length: 25 }, (_, i) => audit().record(db(), facts(i))));
      const report = await audit().verify();
      assert.equal(report.ok, true);
      assert.equal(report.checked, 25);
      assert.equal(report.head.seq, 25);
    });

    test('an entry and its act commit together: a failed act leaves no entry', async () => {
      const before = (await audit().verify()).head.seq;
      await assert.rejects(
        inTransaction(db(), async (trx) => {
          await audit().record(trx, facts(100));
          throw new Error('the act failed');
        }),
        /the act failed/,
      );
      const report = await audit().verify();
      assert.equal(report.ok, true);
      assert.equal(report.head.seq, before);
    });

    test('an anchor of the head verifies; one changed after signing does not', async () => {
      const anchor = await audit().anchor(hub.clock.now());
      assert.equal(anchor.seq, (await audit().verify()).head.seq);
      assert.deepEqual((await audit().verify(anchor)).anchor, { ok: true, seq: anchor.seq });
      const forged = { ...anchor, seq: anchor.seq - 1 };
      const r = await audit().verify(forged);
      assert.equal(r.ok, false);
      assert.match(r.anchor?.reason ?? '', /signature/);
    });

    test('an edited entry is named', async () => {
      const { actor_ref: original } = await db()
        .selectFrom('audit_log')
        .select('actor_ref')
        .where('seq', '=', 7)
        .executeTakeFirstOrThrow();
      await tamper(sql`update audit_log set actor_ref = 'someone else' where seq = 7`);
      const r = await audit().verify();
      assert.equal(r.ok, false);
      assert.deepEqual(pick(r), { seq: 7, problem: 'edited' });
      assert.match(JSON.stringify(r.firstBad), /content of this entry was changed/);
      await tamper(sql`update audit_log set actor_ref = ${original} where seq = 7`);
      assert.equal((await audit().verify()).ok, true);
    });

    test('a deleted entry, two swapped and an inserted one are named', async () => {
      const rows = await audit().verify();
      assert.equal(rows.ok, true);
      const saved = await db().selectFrom('audit_log').selectAll().where('seq', 'in', [10, 11]).execute();
      await tamper(sql`delete from audit_log where seq = 10`);
      assert.deepEqual(pick(await audit().verify()), { seq: 10, problem: 'missing' });
      // Entry 11's content written at 10, and 10's at 11: moved.
      const [ten, eleven] = [
        only(saved.filter((r) => r.seq === 10)),
        only(saved.filter((r) => r.seq === 11)),
      ];
      await tamper(sql`delete from audit_log where seq = 11`);
      await db()
        .insertInto('audit_log')
        .values([
          { ...eleven, seq: 10 },
          { ...ten, seq: 11 },
        ])
        .execute();
      assert.deepEqual(pick(await audit().verify()), { seq: 10, problem: 'relinked' });
      await tamper(sql`delete from audit_log where seq in (10, 11)`);
      await db().insertInto('audit_log').values(saved).execute();
      assert.equal((await audit().verify()).ok, true);
      // An entry added at the end without the head: the head names the one before.
      const head = (await audit().verify()).head;
      await db()
        .insertInto('audit_log')
        .values({ ...ten, seq: head.seq + 1, prev_hash: head.hash })
        .execute();
      const r = await audit().verify();
      assert.equal(r.ok, false);
      assert.equal(r.firstBad?.seq, head.seq + 1);
      await tamper(sql`delete from audit_log where seq = ${head.seq + 1}`);
    });

    test('a removed tail is named, and an anchor catches the tail and the head rewritten together', async () => {
      const anchor = await audit().anchor(hub.clock.now());
      const head = await db().selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
      const last = await db()
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '=', head.seq)
        .executeTakeFirstOrThrow();
      await tamper(sql`delete from audit_log where seq = ${head.seq}`);
      assert.deepEqual(pick(await audit().verify()), { seq: head.seq, problem: 'truncated' });
      // The insider moves the head back too: the chain looks whole, the anchor does not.
      await db()
        .updateTable('audit_head')
        .set({ seq: last.seq - 1, hash: last.prev_hash })
        .execute();
      const r = await audit().verify(anchor);
      assert.equal(r.firstBad, undefined);
      assert.equal(r.ok, false);
      assert.match(r.anchor?.reason ?? '', /missing/);
      await db().insertInto('audit_log').values(last).execute();
      await db().updateTable('audit_head').set({ seq: head.seq, hash: head.hash }).execute();
      assert.equal((await audit().verify(anchor)).ok, true);
    });

    test('retention removes the oldest entries and the check starts after them', async () => {
      const total = (await audit().verify()).head.seq;
      for (let i = 0; i < 5; i++) await audit().record(db(), facts(i, Date.parse('2026-11-27T03:00:00Z')));
      const removed = await purge(Date.parse('2026-11-27T02:30:00Z'));
      assert.equal(removed, total);
      const r = await audit().verify();
      assert.equal(r.ok, true);
      assert.equal(r.base.seq, total);
      assert.equal(r.checked, 5);
      assert.equal(await purge(Date.parse('2026-11-27T02:30:00Z')), 0);
    });
  });
}

function only<T>(xs: readonly T[]): T {
  const [x, ...more] = xs;
  assert.ok(x !== undefined && more.length === 0, 'exactly one');
  return x;
}

function pick(r: { firstBad?: { seq: number; problem: string } }) {
  return r.firstBad && { seq: r.firstBad.seq, problem: r.firstBad.problem };
}

describe('audit anchor of a hub with national cryptography', () => {
  test('an SM2 trust anchor signs the anchor, and verify checks it', async () => {
    const hub = await startContext('sqlite', { env: { SIGNING_ALGORITHM: 'SM2' } });
    try {
      const { audit } = hub.parts.services;
      await audit.record(hub.parts.db, facts(1));
      const anchor = await audit.anchor(hub.clock.now());
      assert.equal(anchor.alg, 'SM2');
      assert.deepEqual((await audit.verify(anchor)).anchor, { ok: true, seq: 1 });
      const other = { ...anchor, hash: '1'.repeat(64) };
      assert.match((await audit.verify(other)).anchor?.reason ?? '', /signature/);
    } finally {
      await hub.close();
    }
  });
});
