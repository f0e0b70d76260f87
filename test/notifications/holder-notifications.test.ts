/**
 * The holders' notification outbox on both engines: a channel that fails leaves the notification pending for the
 * next round, and a delivered one is never sent again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  HolderNotificationsRepository,
  HolderNotificationsService,
  type HolderNotification,
} from '../../src/notifications/holder-notifications.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, register } from '../helpers/people.ts';

for (const engine of ENGINES) {
  describe(`holder notifications (${engine})`, () => {
    let hub: TestApp;
    before(async () => {
      hub = await startApp(engine);
    });
    after(() => hub.close());

    test('a failed delivery waits for the next round; a delivered one is not sent again', async () => {
      const personId = await register(hub.parts, ALICE);
      const ticket = await hub.parts.services.tickets.reportNonRecognition(
        personId,
        {
          region: '110105',
          at: '2026-11-21T09:00:00+08:00',
          checkpointId: 'GATE-1',
          issuer: 'CN',
          description: '绿码被拒',
        },
        hub.clock.now(),
      );
      const repo = new HolderNotificationsRepository();
      let up = false;
      const sent: HolderNotification[] = [];
      const flaky = {
        name: 'sms',
        deliver: (n: HolderNotification) => {
          if (!up) return Promise.reject(new Error('gateway down'));
          sent.push(n);
          return Promise.resolve();
        },
      };
      const service = new HolderNotificationsService(hub.parts.db, repo, () => [flaky]);
      const none = () => undefined;
      assert.equal(await service.deliver(hub.clock.now(), none), 0);
      assert.equal(sent.length, 0);
      up = true;
      assert.equal(await service.deliver(hub.clock.now(), none), 1);
      assert.equal(await service.deliver(hub.clock.now(), none), 0);
      assert.deepEqual(
        sent.map((n) => [n.ticketId, n.state]),
        [[ticket.ticketId, 'routed']],
      );
      assert.match(sent[0]?.text ?? '', /\p{Script=Han}/u);
      const kept = await repo.ofTicket(hub.parts.db, ticket.ticketId);
      assert.equal(kept.length, 1);
      assert.notEqual(kept[0]?.deliveredAt, null);
    });
  });
}
