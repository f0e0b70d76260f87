/**
 * A province's status deltas (inject, SQLite and PostgreSQL): a delta whose reason holds U+0000 or an invisible
 * character, or whose time is implausible, is refused alone with its code; the others in the same push apply
 * (on main, U+0000 answered 500 on PostgreSQL and failed the whole push).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CODE_LIFETIME_SECONDS } from '../../src/codec/token.ts';
import { signRequest } from '../../src/federation/request-signature.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, register } from '../helpers/people.ts';
import { lastCode } from '../helpers/sms.ts';

for (const engine of ENGINES) {
  describe(`status deltas and the text rule (${engine})`, () => {
    let hub: TestApp;
    let gd: ProvinceKeys;
    const as = (url: string, body: unknown) =>
      hub.app.inject({
        method: 'POST',
        url,
        headers: signRequest(
          { method: 'POST', path: url, caller: '440000', body },
          gd.accessSigner(),
          hub.clock.now(),
        ),
        payload: body as Record<string, unknown>,
      });

    before(async () => {
      hub = await startApp(engine);
      const store = new KeyStore(
        join(hub.dataDir, 'provinces', '440000', 'keys'),
        CODE_LIFETIME_SECONDS + 60,
      );
      gd = new ProvinceKeys(store, '440000');
      await hub.parts.services.provinces.enrol(gd.ensure(hub.clock.now()), hub.clock.now());
      await register(hub.parts, ALICE);
      const verify = await as('/api/v1/federation/identities/verify', {
        documentType: ALICE.documentType,
        documentNumber: ALICE.documentNumber,
        name: ALICE.name,
      });
      const { challenge } = verify.json<{ challenge: { id: string } }>();
      const confirmed = await as('/api/v1/federation/identities/confirm', {
        challengeId: challenge.id,
        code: lastCode(hub.dataDir, ALICE.phone),
      });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
    });
    after(() => hub.close());

    test('one bad delta is refused alone with its code; the good one applies', async () => {
      const delta = (id: number, over: Record<string, unknown> = {}) => ({
        id,
        documentType: ALICE.documentType,
        documentNumber: ALICE.documentNumber,
        colour: 'yellow',
        reasonCode: 'DECLARED_FEVER',
        reasonText: '申报发热',
        reasonTextEn: 'Declared fever',
        changedAt: new Date(hub.clock.nowMs).toISOString(),
        ...over,
      });
      const res = await as('/api/v1/federation/status-deltas', {
        deltas: [
          delta(1, { reasonText: '申报\u0000发热' }),
          delta(2, { reasonTextEn: 'Declared \u202Efever' }),
          delta(3, { changedAt: '0001-01-01T00:00:00Z' }),
          delta(4),
        ],
      });
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json<{ applied: number; rejected: { id: number; code: string }[] }>();
      assert.deepEqual(
        r.rejected.map((x) => [x.id, x.code]),
        [
          [1, 'YMT_ERR_TEXT_CONTROL'],
          [2, 'YMT_ERR_TEXT_INVISIBLE'],
          [3, 'YMT_ERR_DATE_IMPLAUSIBLE'],
        ],
      );
      assert.equal(r.applied, 1);
      // Chained with the province that sent them (issue 17), with the counts and no personal data.
      const chained = await hub.parts.db
        .selectFrom('audit_log')
        .select(['actor_kind', 'actor_ref', 'subject', 'detail'])
        .where('action', '=', 'status-deltas.apply')
        .execute();
      assert.deepEqual(chained, [
        {
          actor_kind: 'province',
          actor_ref: '440000',
          subject: '440000',
          detail: JSON.stringify({ received: 4, applied: 1, rejected: 3 }),
        },
      ]);
    });
  });
}
