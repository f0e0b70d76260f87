/**
 * The console's provinces section (inject, SQLite and PostgreSQL): the 32 units with enrolment, node, keys and
 * last push, by role; an operator's emergency revocation of a province's key, and the trust list that follows.
 * Revocation has a hub of its own, so the list's test sees the key as uploaded.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENGINES } from '../helpers/context.ts';
import { ALICE } from '../helpers/people.ts';
import { enrolGuangdong, useConsole } from './console-fixture.ts';

for (const engine of ENGINES) {
  describe(`console: provinces (${engine})`, () => {
    let gdKid: string;
    const c = useConsole(engine, async (c) => {
      gdKid = await enrolGuangdong(c);
    });
    const { ok } = c;

    test('provinces: the operator sees all 32, a province its own; keys, node and last push', async () => {
      type P = {
        code: string;
        enrolled: boolean;
        nodeUrl: string | null;
        keys: { kid: string; revoked: boolean; revokedReason?: string }[];
        lastStatusPush: string | null;
      };
      const docHash = c.hub.parts.repositories.persons.documentHash({
        type: 'id_card',
        number: ALICE.documentNumber,
        nationality: 'CHN',
      });
      await c.hub.parts.repositories.holders.recordHolder(
        c.hub.parts.db,
        '440000',
        docHash,
        c.hub.clock.nowMs,
      );
      await c.hub.parts.repositories.holders.applyDeltas(
        c.hub.parts.db,
        '440000',
        [
          {
            id: 1,
            docHash,
            colour: 'green',
            reasonCode: 'NO_ABNORMALITY',
            reasonText: '未见异常',
            reasonTextEn: 'No abnormality found',
            changedAt: c.hub.clock.nowMs,
          },
        ],
        c.hub.clock.nowMs,
      );
      const all = (await ok<{ provinces: P[] }>('operator', 'GET', '/provinces')).provinces;
      assert.equal(all.length, 32);
      const gd = all.find((p) => p.code === '440000');
      assert.deepEqual(gd && [gd.enrolled, gd.keys.map((k) => [k.kid, k.revoked]), gd.lastStatusPush], [
        true,
        [[gdKid, false]],
        c.hub.clock.now().toISOString(),
      ]);
      const bj = (await ok<{ provinces: P[] }>('bj', 'GET', '/provinces')).provinces;
      assert.deepEqual(bj, [
        {
          code: '110000',
          name: '北京市',
          nameEn: 'Beijing',
          enrolled: false,
          nodeUrl: null,
          keys: [],
          lastStatusPush: null,
        },
      ]);
    });
  });

  describe(`console: key revocation (${engine})`, () => {
    let gdKid: string;
    const c = useConsole(engine, async (c) => {
      gdKid = await enrolGuangdong(c);
    });
    const { ok, fails } = c;

    test("revocation: the operator revokes a province's key; the trust list lists it as revoked", async () => {
      await fails('operator', 'POST', `/provinces/110000/keys/${gdKid}/revoke`, 404, 'YMT_ERR_NOT_FOUND', {
        reason: 'x',
      });
      await fails(
        'operator',
        'POST',
        `/provinces/999999/keys/${gdKid}/revoke`,
        404,
        'YMT_ERR_PROVINCE_UNKNOWN',
        {
          reason: 'x',
        },
      );
      await fails(
        'operator',
        'POST',
        `/provinces/440000/keys/${gdKid}/revoke`,
        400,
        'YMT_ERR_VALIDATION',
        {},
      );
      await fails('gd', 'POST', `/provinces/440000/keys/${gdKid}/revoke`, 403, 'YMT_ERR_CONSOLE_FORBIDDEN', {
        reason: 'leaked',
      });
      const path = `/provinces/440000/keys/${gdKid}/revoke`;
      assert.deepEqual(await ok('operator', 'POST', path, { reason: 'leaked' }), {
        kid: gdKid,
        province: '440000',
        changed: true,
      });
      assert.equal(
        (await ok<{ changed: boolean }>('operator', 'POST', path, { reason: 'again' })).changed,
        false,
      );
      const gd = (
        await ok<{ provinces: { code: string; keys: { revoked: boolean; revokedReason?: string }[] }[] }>(
          'gd',
          'GET',
          '/provinces',
        )
      ).provinces[0];
      assert.deepEqual(
        gd?.keys.map((k) => [k.revoked, k.revokedReason]),
        [[true, 'leaked']],
      );
      const list = await ok<{
        version: number;
        generation: number;
        revision: number;
        issuers: { iss: string }[];
        keys: { kid: string }[];
        revokedKeys: { kid: string; iss: string }[];
        anchorKid: string;
      }>('operator', 'GET', '/trust-list');
      assert.deepEqual(
        list.revokedKeys.map((k) => [k.kid, k.iss]),
        [[gdKid, '440000']],
      );
      assert.ok(!list.keys.some((k) => k.kid === gdKid), 'the revoked key is out of the keys');
      assert.equal(list.anchorKid, c.hub.parts.keys.current(c.hub.clock.nowMs).anchor.kid);
      assert.equal(list.revision, await c.hub.parts.services.trustInput.revision());
      assert.equal(list.version, list.generation + list.revision);
      assert.deepEqual(
        list.issuers.map((i) => i.iss),
        ['CN', '440000'],
      );
    });
  });
}
