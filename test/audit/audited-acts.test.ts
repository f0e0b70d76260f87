/**
 * Administrative acts in the audit log (src/audit/audited.ts), on both engines: credentials made and withdrawn at
 * the command line, a holder's case status entered and ended by an operator — each chained with who acted, in the
 * act's transaction, so a refused act leaves no entry.
 */
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../../src/access/actor.ts';
import { AppError } from '../../src/errors/app-error.ts';
import { ENGINES, startContext, type TestHub } from '../helpers/context.ts';
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
      const log = (await entries()).slice(before);
      assert.deepEqual(
        log.map((e) => [e.actor_kind, e.actor_ref, e.action, e.subject]),
        [
          ['operator', 'o_test', 'status-entry.add', alice],
          ['operator', 'o_test', 'status-entry.end', alice],
        ],
      );
      assert.equal((await hub.parts.services.audit.verify()).ok, true);
    });
  });
}
