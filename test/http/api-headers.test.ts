/**
 * Every API answer says nosniff, and no-store unless it is public reference data (issue 17, Q11: answers carrying
 * tokens or personal data had neither). Both engines: a sign-in (a token), a code (a token and a masked name), the
 * declaration (personal data), a refusal; the provinces and regions keep their hour of caching.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, bearer, declaredHolder } from '../helpers/people.ts';

for (const engine of ENGINES) {
  describe(`API answers are not kept by caches (${engine})`, () => {
    let hub: TestApp;
    let token: string;
    before(async () => {
      hub = await startApp(engine);
      token = await declaredHolder(hub, ALICE);
    });
    after(() => hub.close());

    const headers = async (method: 'GET' | 'POST', url: string, auth = true, payload?: object) => {
      const res = await hub.app.inject({
        method,
        url,
        ...(auth ? { headers: bearer(token) } : {}),
        ...(payload ? { payload } : {}),
      });
      return [res.statusCode, res.headers['cache-control'], res.headers['x-content-type-options']];
    };

    test('tokens and personal data: no-store, nosniff, on success and on refusal', async () => {
      const signIn = { documentType: 'id_card', documentNumber: ALICE.documentNumber, name: ALICE.name };
      assert.deepEqual(await headers('POST', '/api/v1/auth/real-name', false, signIn), [
        200,
        'no-store',
        'nosniff',
      ]);
      assert.deepEqual(await headers('POST', '/api/v1/me/code'), [200, 'no-store', 'nosniff']);
      assert.deepEqual(await headers('GET', '/api/v1/me/declaration'), [200, 'no-store', 'nosniff']);
      assert.deepEqual(await headers('GET', '/api/v1/me/declaration', false), [401, 'no-store', 'nosniff']);
    });

    test('public reference data keeps its hour', async () => {
      assert.deepEqual(await headers('GET', '/api/v1/provinces', false), [
        200,
        'public, max-age=3600',
        'nosniff',
      ]);
      assert.deepEqual(await headers('GET', '/api/v1/regions?q=changsha', false), [
        200,
        'public, max-age=3600',
        'nosniff',
      ]);
    });
  });
}
