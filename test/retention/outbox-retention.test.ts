/**
 * Status changes sent to the provinces' nodes (`exchange_outbox`) by the retention rules
 * (docs/operations.md#retention), on both engines: a change a node has acknowledged goes once it is older than the
 * health evidence's window (28 days by default); a change not yet acknowledged stays, however old, and so does a
 * recent one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StatusExchangeRepository } from '../../src/exchange/status-exchange.repository.ts';
import { ENGINES, startContext, TestClock, type TestHub } from '../helpers/context.ts';

const DAY_MS = 86_400_000;

for (const engine of ENGINES) {
  describe(`acknowledged status changes expire (${engine})`, () => {
    let hub: TestHub;
    const start = Date.parse('2026-11-01T02:00:00Z');
    const ids: Record<string, number> = {};
    const statusExchange = new StatusExchangeRepository('all');

    before(async () => {
      hub = await startContext(engine, { clock: new TestClock(start) });
      const send = (peer: string, changedAt: number) =>
        statusExchange.enqueue(hub.parts.db, {
          peer,
          personId: 'p1',
          colour: 'yellow',
          reasons: '[]',
          caseStatus: null,
          changedAt,
        });
      ids.old1 = await send('440000', start);
      ids.old2 = await send('440000', start + 1);
      ids.unacknowledged = await send('110000', start);
      ids.recent = await send('440000', start + 20 * DAY_MS);
      // Guangdong's node acknowledged all three of its changes; Beijing's none.
      await statusExchange.acknowledge(hub.parts.db, '440000', ids.recent);
    });
    after(() => hub.close());

    const left = async () =>
      (await hub.parts.db.selectFrom('exchange_outbox').select('id').orderBy('id').execute()).map(
        (r) => r.id,
      );

    test('within the window nothing goes; past it, only what a node acknowledged', async () => {
      hub.clock.nowMs = start + 27 * DAY_MS;
      assert.equal((await hub.parts.services.retention.purge(hub.clock.now()))?.exchange_outbox, 0);
      hub.clock.nowMs = start + 29 * DAY_MS;
      const r = await hub.parts.services.retention.purge(hub.clock.now());
      assert.equal(r?.exchange_outbox, 2);
      assert.deepEqual(await left(), [ids.unacknowledged, ids.recent]);
      // The node's cursor is kept: what it acknowledged is not sent again.
      assert.equal((await statusExchange.pendingFor(hub.parts.db, '440000', 10)).length, 0);
    });
  });
}
