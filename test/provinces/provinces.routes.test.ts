import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startApp, type TestApp } from '../helpers/context.ts';

interface Unit {
  code: string;
  name: string;
  nameEn: string;
  kind: string;
  cities?: { code: string; name: string }[];
}

describe('the provincial units over HTTP', () => {
  let hub: TestApp;
  before(async () => {
    hub = await startApp('sqlite', { env: { CORPS_CODE: '670000' } });
  });
  after(() => hub.close());

  test('the list: 32 units, the Corps under the configured code with its cities', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/api/v1/provinces' });
    assert.equal(res.statusCode, 200);
    const units = res.json<Unit[]>();
    assert.equal(units.length, 32);
    const corps = units.find((u) => u.kind === 'corps');
    assert.ok(corps?.cities);
    assert.equal(corps.code, '670000');
    assert.equal(corps.cities.length, 12);
    assert.equal(units.find((u) => u.code === '110000')?.nameEn, 'Beijing');
    assert.equal(
      units.find((u) => u.code === '660000'),
      undefined,
    );
  });

  test('the unit of a place, and coded errors for codes of no unit', async () => {
    const get = (code: string) => hub.app.inject({ method: 'GET', url: `/api/v1/provinces/${code}` });
    assert.equal((await get('440305')).json<Unit>().code, '440000');
    assert.equal((await get('659003')).json<Unit>().code, '670000');
    const none = await get('810000');
    assert.equal(none.statusCode, 404);
    assert.equal(none.json<{ error: { code: string } }>().error.code, 'YMT_ERR_PROVINCE_UNKNOWN');
    assert.equal((await get('44030')).statusCode, 400);
  });
});
