/**
 * Cross-site request forgery (issue 17): a state change carried by the session cookie from another site's page is
 * refused; the same from the hub's own page, from a client that says no Origin, or with a bearer token goes
 * through. Both engines: applying for a code and signing out, which accepted a foreign Origin.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, declaredHolder } from '../helpers/people.ts';

for (const engine of ENGINES) {
  describe(`the session cookie from another site (${engine})`, () => {
    let hub: TestApp;
    let token: string;
    before(async () => {
      hub = await startApp(engine);
      token = await declaredHolder(hub, ALICE);
    });
    after(() => hub.close());

    const post = (url: string, headers: Record<string, string>) =>
      hub.app.inject({ method: 'POST', url, headers: { host: 'hub.example.cn', ...headers } });
    const cookie = () => ({ cookie: `ymt_session=${token}` });
    const code = (res: { json: () => unknown }) => (res.json() as { error?: { code: string } }).error?.code;

    test('a foreign Origin is refused with 403; the hub’s own, none, or a bearer token are not', async () => {
      const foreign = await post('/api/v1/me/code', { ...cookie(), origin: 'https://evil.example' });
      assert.equal(foreign.statusCode, 403);
      assert.equal(code(foreign), 'YMT_ERR_FOREIGN_ORIGIN');
      const bad = await post('/api/v1/me/code', { ...cookie(), origin: 'null' });
      assert.equal(bad.statusCode, 403);
      assert.equal(
        (await post('/api/v1/me/code', { ...cookie(), origin: 'https://hub.example.cn' })).statusCode,
        200,
      );
      assert.equal((await post('/api/v1/me/code', cookie())).statusCode, 200);
      const bearer = await post('/api/v1/me/code', {
        authorization: `Bearer ${token}`,
        origin: 'https://evil.example',
      });
      assert.equal(bearer.statusCode, 200);
    });

    test('sign-out from a foreign page is refused, and the session lives on', async () => {
      const out = await post('/api/v1/auth/sign-out', { ...cookie(), origin: 'https://evil.example' });
      assert.equal(out.statusCode, 403);
      assert.equal((await post('/api/v1/me/code', cookie())).statusCode, 200);
      assert.equal(
        (await post('/api/v1/auth/sign-out', { ...cookie(), origin: 'https://hub.example.cn' })).statusCode,
        204,
      );
    });
  });
}
