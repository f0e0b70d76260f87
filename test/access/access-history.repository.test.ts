/**
 * The access history's group commit (src/access/access-history.repository.ts), on both engines: entries of acts that
 * only read, arriving together, are written together — every caller answered only once its own entry is committed,
 * every entry chained in order — and a group whose transaction fails fails each of its callers and writes nothing,
 * after which entries are written again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AccessEvent } from '../../src/access/access-history.repository.ts';
import { accessHistoryRepository } from '../../src/app/compose-family.ts';
import { ENGINES, startContext, type TestHub } from '../helpers/context.ts';

for (const engine of ENGINES) {
  describe(`access history by group commit (${engine})`, () => {
    let hub: TestHub;
    const history = accessHistoryRepository();
    const event = (personId: string, at: number): AccessEvent => ({
      personId,
      at,
      actorKind: 'province',
      actorRef: '440000',
      purpose: 'status.consent',
    });
    const rowsOf = async (personId: string) =>
      (
        await hub.parts.db
          .selectFrom('access_events')
          .select('id')
          .where('person_id', '=', personId)
          .execute()
      ).length;

    before(async () => {
      hub = await startContext(engine);
    });
    after(() => hub.close());

    test('60 look-ups at once: each answered after its own entry is committed, all chained in order', async () => {
      const at = hub.clock.nowMs;
      const seen: number[] = [];
      await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          await history.record(hub.parts.db, event(`p-many-${String(i)}`, at + i));
          // Committed before the caller goes on: its own row is there.
          seen.push(await rowsOf(`p-many-${String(i)}`));
        }),
      );
      assert.deepEqual(
        seen,
        Array.from({ length: 60 }, () => 1),
      );
      const chained = await hub.parts.db
        .selectFrom('audit_log')
        .select(['seq', 'subject'])
        .where('action', '=', 'access.status.consent')
        .orderBy('seq')
        .execute();
      assert.equal(chained.length, 60);
      assert.equal(new Set(chained.map((c) => c.subject)).size, 60);
      const check = await hub.parts.services.audit.verify();
      assert.deepEqual([check.ok, check.checked], [true, 60]);
    });

    test('a group whose transaction fails fails each caller and writes nothing; the next group is written', async () => {
      const before = await hub.parts.services.audit.verify();
      // `at` is NOT NULL: a group holding this entry cannot commit.
      const broken = { ...event('p-broken', hub.clock.nowMs), at: null as unknown as number };
      const results = await Promise.allSettled([
        history.record(hub.parts.db, event('p-first', hub.clock.nowMs)),
        history.record(hub.parts.db, broken),
        history.record(hub.parts.db, event('p-same-group', hub.clock.nowMs)),
      ]);
      // The first is written alone (nothing was being written when it came); the other two wait and go together.
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'rejected'],
      );
      assert.deepEqual(
        [await rowsOf('p-first'), await rowsOf('p-broken'), await rowsOf('p-same-group')],
        [1, 0, 0],
      );
      await history.record(hub.parts.db, event('p-after', hub.clock.nowMs));
      assert.equal(await rowsOf('p-after'), 1);
      const check = await hub.parts.services.audit.verify();
      assert.deepEqual([check.ok, check.checked], [true, before.checked + 2]);
    });
  });
}
