/**
 * The demo population's console credentials (the README's table): an operator, Beijing's authority and the
 * railway department sign in with their fixed tokens; none of them exists without DEMO_DATA.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_CREDENTIALS } from '../../src/demo/demo.loader.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';

for (const engine of ENGINES) {
  describe(`demo console credentials (${engine})`, () => {
    let demo: TestApp;
    let plain: TestApp;
    before(async () => {
      demo = await startApp(engine, { env: { DEMO_DATA: 'true' } });
      plain = await startApp(engine);
    });
    after(async () => {
      await demo.close();
      await plain.close();
    });

    const get = (hub: TestApp, token: string, url: string) =>
      hub.app.inject({
        method: 'GET',
        url: `/api/v1/console${url}`,
        headers: { authorization: `Bearer ${token}` },
      });

    test('each demo credential signs in as its role', async () => {
      const { operator, province, railway } = DEMO_CREDENTIALS;
      const roles = await Promise.all(
        [operator, province, railway].map(async (c) => {
          const res = await get(demo, c.token, '/me');
          assert.equal(res.statusCode, 200, res.body);
          return res.json<{ role: string; province?: string; source?: string }>();
        }),
      );
      assert.deepEqual(
        roles.map((r) => [r.role, r.province, r.source]),
        [
          ['operator', undefined, undefined],
          ['province', '110000', undefined],
          ['department', undefined, 'railway'],
        ],
      );
      // The department sees the demo population's railway batch.
      const batches = (await get(demo, railway.token, '/batches')).json<{ batches: { source: string }[] }>();
      assert.ok(batches.batches.length > 0, 'the seeded railway batch is listed');
      assert.deepEqual([...new Set(batches.batches.map((b) => b.source))], ['railway']);
    });

    test('without DEMO_DATA the demo tokens are unknown', async () => {
      for (const c of Object.values(DEMO_CREDENTIALS)) {
        assert.equal((await get(plain, c.token, '/me')).statusCode, 401);
      }
    });
  });
}
