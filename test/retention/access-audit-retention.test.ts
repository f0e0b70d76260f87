/**
 * Checkpoint look-ups, the access history and the audit log by their windows (docs/operations.md#retention), on both
 * engines: look-ups with the codes (21 days by default), the access history a year, the audit log three years,
 * oldest first, its chain still verifying from the new base; each purge that removed something chained.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accessHistoryRepository } from '../../src/app/compose-family.ts';
import { ENGINES, startContext, TestClock, type TestHub } from '../helpers/context.ts';

const DAY_MS = 86_400_000;

for (const engine of ENGINES) {
  describe(`access history and audit log retention (${engine})`, () => {
    let hub: TestHub;
    const start = Date.parse('2026-01-05T02:00:00Z');
    const seen = (at: number) =>
      accessHistoryRepository().record(hub.parts.db, {
        personId: 'p1',
        at,
        actorKind: 'province',
        actorRef: '440000',
        purpose: 'status.consent',
      });

    before(async () => {
      hub = await startContext(engine, { clock: new TestClock(start) });
      for (let i = 0; i < 3; i++) await seen(start + i);
      await seen(start + 200 * DAY_MS);
      await hub.parts.db
        .insertInto('checkpoint_lookups')
        .values({
          id: 'l1',
          staff_id: 's1',
          person_id: 'p1',
          region: '310101',
          at: start,
          decision: null,
          decided_at: null,
        })
        .execute();
    });
    after(() => hub.close());

    const purges = async () =>
      (
        await hub.parts.db
          .selectFrom('audit_log')
          .select(['actor_kind', 'actor_ref', 'detail'])
          .where('action', '=', 'retention.purge')
          .orderBy('seq')
          .execute()
      ).map((p) => [p.actor_kind, p.actor_ref, JSON.parse(p.detail ?? 'null') as unknown]);

    test("a checkpoint look-up (a scan the hub keeps) goes after the codes' 21 days; the holder's history of it stays", async () => {
      hub.clock.nowMs = start + 20 * DAY_MS;
      assert.equal((await hub.parts.services.retention.purge(hub.clock.now()))?.checkpoint_lookups, 0);
      hub.clock.nowMs = start + 22 * DAY_MS;
      const r = await hub.parts.services.retention.purge(hub.clock.now());
      assert.deepEqual([r?.checkpoint_lookups, r?.access_history], [1, 0]);
      assert.equal((await hub.parts.services.accessHistory.of('p1')).entries.length, 4);
      // Only a purge that removed something is chained, with what it removed.
      assert.deepEqual(await purges(), [['system', 'retention', { checkpoint_lookups: 1 }]]);
    });

    test('after a year the access history goes; the audit log keeps it', async () => {
      hub.clock.nowMs = start + 364 * DAY_MS;
      assert.equal((await hub.parts.services.retention.purge(hub.clock.now()))?.access_history, 0);
      hub.clock.nowMs = start + 366 * DAY_MS;
      const r = await hub.parts.services.retention.purge(hub.clock.now());
      assert.deepEqual([r?.access_history, r?.audit], [3, 0]);
      const { entries } = await hub.parts.services.accessHistory.of('p1');
      assert.equal(entries.length, 1);
      assert.equal(entries[0]?.at, new Date(start + 200 * DAY_MS).toISOString());
      // The four entries, and the two purges' own.
      const audit = await hub.parts.services.audit.verify();
      assert.deepEqual([audit.ok, audit.checked], [true, 6]);
      assert.deepEqual(await purges(), [
        ['system', 'retention', { checkpoint_lookups: 1 }],
        ['system', 'retention', { access_history: 3 }],
      ]);
    });

    test('after three years the oldest audit entries go, and the chain verifies from the new base', async () => {
      hub.clock.nowMs = start + 1096 * DAY_MS;
      const r = await hub.parts.services.retention.purge(hub.clock.now());
      assert.deepEqual([r?.audit, r?.access_history], [3, 1]);
      // Left: the fourth access entry, the two earlier purges' entries and this purge's.
      const audit = await hub.parts.services.audit.verify();
      assert.deepEqual([audit.ok, audit.base.seq, audit.checked], [true, 3, 4]);
    });
  });
}
