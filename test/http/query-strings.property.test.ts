/**
 * Query strings are outside input (issue 17: property tests on every parser): any query on the GET routes that
 * take one — parsed by Fastify, checked by the route's schema — gets an answer or a coded 4xx, never a 500, on
 * SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, bearer, declaredHolder } from '../helpers/people.ts';

const ROUTES = ['/api/v1/regions', '/api/v1/me/declaration', '/api/v1/me/code', '/api/v1/me/access-history'];
const names = fc.constantFrom('q', 'parent', 'levels', 'full', 'qr', 'before', 'x', 'q[]', '__proto__', '');
const values = fc.oneof(
  fc.constantFrom(
    'true',
    'svg',
    '110000',
    'city,county',
    '1',
    '-1',
    '9'.repeat(30),
    '%',
    '%zz',
    '%00',
    '长沙',
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.string({ maxLength: 20, unit: 'binary' }).map((s) => s.replace(/[#\s]/g, '')),
);
const query = fc.oneof(
  fc
    .array(fc.tuple(names, values), { maxLength: 4 })
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[#\s]/g, '')),
);

for (const engine of ENGINES) {
  describe(`query strings (${engine})`, () => {
    let hub: TestApp;
    let token: string;
    before(async () => {
      hub = await startApp(engine);
      token = await declaredHolder(hub, ALICE);
    });
    after(() => hub.close());

    test('property: any query on a GET route: an answer or a coded 4xx, never a 500', async () => {
      for (const route of ROUTES) {
        const plain = await hub.app.inject({ method: 'GET', url: route, headers: bearer(token) });
        assert.equal(plain.statusCode, 200, `${route}: ${plain.body}`);
      }
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ROUTES), query, async (route, q) => {
          const res = await hub.app.inject({ method: 'GET', url: `${route}?${q}`, headers: bearer(token) });
          assert.ok(res.statusCode < 500, `${route}?${q}: ${String(res.statusCode)} ${res.body}`);
          if (res.statusCode >= 400)
            assert.match(res.json<{ error: { code: string } }>().error.code, /^YMT_ERR_/, `${route}?${q}`);
        }),
        { numRuns: 200 },
      );
    });
  });
}
