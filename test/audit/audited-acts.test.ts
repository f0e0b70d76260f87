/**
 * Administrative acts in the audit log (src/audit/audited.ts), on both engines: credentials made and withdrawn at
 * the command line, a holder's case status entered and ended by an operator, the console's area-risk entry (a batch
 * published through the batch writer's own transaction), a record correction and an identity import — each chained
 * with who acted, in the act's transaction, so a refused or broken act leaves no entry. A department's batch sent
 * over HTTP is in test/feeds/feeds.routes.test.ts.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../../src/access/actor.ts';
import { actorOf, commandLineUser } from '../../src/audit/audited.ts';
import { AppError } from '../../src/errors/app-error.ts';
import { importIdentities } from '../../src/identity/identities.import.ts';
import { ENGINES, startContext, type TestHub } from '../helpers/context.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { ALICE, BOB, register } from '../helpers/people.ts';

const OPERATOR: Actor = { role: 'operator', name: '值班员', accountId: 'o_test' };

for (const engine of ENGINES) {
  describe(`administrative acts in the audit log (${engine})`, () => {
    let hub: TestHub;
    before(async () => {
      hub = await startContext(engine);
    });
    after(() => hub.close());

    const entries = () =>
      hub.parts.db
        .selectFrom('audit_log')
        .select(['actor_kind', 'actor_ref', 'action', 'subject', 'detail'])
        .orderBy('seq')
        .execute();

    test('credentials made and withdrawn at the command line name the system user; no token is logged', async () => {
      const now = hub.clock.now();
      const { departments, consoleAccounts, staff } = hub.parts.services;
      const d = await departments.create('铁路', 'railway', null, now);
      const a = await consoleAccounts.create('省运营', '440000', now);
      await consoleAccounts.disable(a.accountId, now);
      const r = await staff.create('registrar', '社区登记员', '310101', now);
      const log = await entries();
      const cli = `command line (${userInfo().username})`;
      assert.deepEqual(
        log.map((e) => [e.actor_kind, e.actor_ref, e.action, e.subject]),
        [
          ['operator', cli, 'department.create', d.departmentId],
          ['operator', cli, 'console-account.create', a.accountId],
          ['operator', cli, 'console-account.disable', a.accountId],
          ['operator', cli, 'registrar.create', r.staffId],
        ],
      );
      const text = JSON.stringify(log);
      for (const token of [d.token, a.token, r.token]) assert.ok(!text.includes(token));
      assert.equal((await hub.parts.services.audit.verify()).ok, true);
    });

    test("an operator's status entry is chained with the act; a refused one leaves no entry", async () => {
      const alice = await register(hub.parts, ALICE);
      const now = hub.clock.now();
      const before = (await entries()).length;
      const input = {
        documentType: BOB.documentType,
        documentNumber: BOB.documentNumber,
        kind: 'CASE_CONFIRMED',
        reason: '流调确认',
      };
      // Bob is nobody here: refused, and nothing chained.
      await assert.rejects(hub.parts.services.statusEntries.add(OPERATOR, input, now), AppError);
      assert.equal((await entries()).length, before);
      const entry = await hub.parts.services.statusEntries.add(
        OPERATOR,
        { ...input, documentType: ALICE.documentType, documentNumber: ALICE.documentNumber },
        now,
      );
      await hub.parts.services.statusEntries.end(OPERATOR, entry.entryId, '核实有误', now);
      // The list shows holders masked: who listed how many is chained, in no holder's history.
      const listed = await hub.parts.services.statusEntries.list(OPERATOR, {}, now);
      const log = (await entries()).slice(before);
      assert.deepEqual(
        log.map((e) => [e.actor_kind, e.actor_ref, e.action, e.subject]),
        [
          ['operator', 'o_test', 'status-entry.add', alice],
          ['operator', 'o_test', 'status-entry.end', alice],
          ['operator', 'o_test', 'status-entry.list', null],
        ],
      );
      assert.equal(log[2]?.detail, JSON.stringify({ active: false, entries: listed.length }));
      assert.deepEqual((await hub.parts.services.accessHistory.of(alice)).entries.length, 0);
      assert.equal((await hub.parts.services.audit.verify()).ok, true);
    });

    test("the console's area-risk entry, a record correction and an identity import name who acted", async () => {
      const now = hub.clock.now();
      const before = (await entries()).length;
      const set = await hub.parts.services.areaRisk.set(
        {
          areaCode: '420100',
          level: 'high',
          validFrom: '2026-11-27T00:00:00+08:00',
          validTo: '2026-12-04T00:00:00+08:00',
        },
        OPERATOR,
        now,
      );
      await sendFeed(hub, 'area-risk', 'ar-audit-1', [
        {
          areaCode: '420100',
          level: 'medium',
          from: '2026-11-26T00:00:00+08:00',
          to: '2026-11-30T00:00:00+08:00',
          authority: '武汉市卫健委',
        },
      ]);
      await hub.parts.services.recordCorrections.retract(
        { source: 'area-risk', batchId: 'ar-audit-1', record: 1 },
        { ticketId: null, actor: OPERATOR.name, reason: '区域代码填错', who: actorOf(OPERATOR) },
        now,
      );
      const file = join(hub.dataDir, 'audit-identities.ndjson');
      writeFileSync(file, `${JSON.stringify({ ...BOB, phone: undefined })}\n{"documentType":"id_card"}\n`);
      await importIdentities(
        hub.parts.db,
        hub.parts.repositories.persons,
        file,
        now,
        actorOf(commandLineUser()),
      );

      const log = (await entries()).slice(before);
      assert.deepEqual(
        log.map((e) => [e.actor_kind, e.actor_ref, e.action, e.subject]),
        [
          ['operator', 'o_test', 'feed.batch.publish', `area-risk/${set.batchId}`],
          ['system', 'test', 'feed.batch.publish', 'area-risk/ar-audit-1'],
          ['operator', 'o_test', 'record.retract', 'area-risk/ar-audit-1#1'],
          [
            'operator',
            `command line (${userInfo().username})`,
            'identities.import',
            'audit-identities.ndjson',
          ],
        ],
      );
      assert.deepEqual(JSON.parse(log[3]?.detail ?? 'null'), { created: 1, updated: 0, rejected: 1 });
      assert.ok(!JSON.stringify(log).includes(BOB.documentNumber), 'no document number in the log');
      assert.equal((await hub.parts.services.audit.verify()).ok, true);
    });

    test('a batch broken before it is published leaves no entry', async () => {
      const before = (await entries()).length;
      let sent = 0;
      const broken = new Readable({
        read() {
          if (sent++ < 3)
            this.push(`{"areaCode":"420100","level":"low","from":"2026-11-26T00:00:00+08:00"}\n`);
          else this.destroy(new Error('connection reset'));
        },
      });
      await assert.rejects(
        hub.parts.services.ingest.ingest(broken, {
          source: 'area-risk',
          format: 'ndjson',
          batchId: 'ar-broken',
          province: null,
          now: hub.clock.now(),
          by: { actorKind: 'system', actorRef: 'test' },
        }),
        /connection reset/,
      );
      assert.equal((await entries()).length, before);
    });
  });
}
