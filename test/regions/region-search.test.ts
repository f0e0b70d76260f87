/**
 * Choosing a region by name (docs/api.md#regions): by Chinese name, pinyin (any case, spaces, apostrophes) or code;
 * province → city → county; a fast-check property over the whole table; and the route, on the hub.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { parentOf, PLACEHOLDER, searchRegions } from '../../src/regions/region-search.ts';
import { allRegions, regionNameEn } from '../../src/regions/regions.ts';
import { startApp, type TestApp } from '../helpers/context.ts';

const codes = (q: Parameters<typeof searchRegions>[0]) => searchRegions(q).map((r) => r.code);

test('by Chinese name, pinyin or code; exact places first, then by level', () => {
  assert.deepEqual(codes({ q: '长沙' }), ['430100', '430121']);
  assert.deepEqual(codes({ q: 'changsha' }).slice(0, 2), ['430100', '430121']);
  assert.deepEqual(codes({ q: 'Chang Sha' }).slice(0, 2), ['430100', '430121']);
  assert.equal(codes({ q: "lu'an" })[0], '341500');
  assert.equal(codes({ q: 'xian' })[0], '610100');
  assert.deepEqual(codes({ q: '4301' }).slice(0, 2), ['430100', '430102']);
  assert.deepEqual(codes({ q: '不存在的地方' }), []);
  const [chaoyang] = searchRegions({ q: '朝阳区' });
  assert.deepEqual(chaoyang && [chaoyang.within, chaoyang.withinEn], ['北京市', 'Beijing']);
  assert.ok(codes({ q: '朝阳', levels: ['county'] }).every((c) => !c.endsWith('00')));
});

test('province → city → county, without the placeholders of municipalities', () => {
  assert.equal(codes({}).length, 31);
  assert.ok(codes({ parent: '430000' }).includes('430100'));
  assert.ok(codes({ parent: '430100' }).includes('430121'));
  const beijing = codes({ parent: '110000' });
  assert.ok(beijing.includes('110105'));
  assert.ok(!beijing.includes('110100'), 'not 市辖区');
  assert.equal(parentOf('110105'), '110000');
  assert.equal(parentOf('430121'), '430100');
});

test('property: every place is found by its Chinese name and by its English name', () => {
  // Every region but GB/T 2260's placeholders ("the districts", "the counties under the province"), never offered.
  const places = [...allRegions()].filter(([, name]) => !PLACEHOLDER.has(name));
  assert.deepEqual(codes({ q: '省直辖县级行政区划' }), []);
  fc.assert(
    fc.property(fc.constantFrom(...places), ([code, name]) => {
      assert.ok(codes({ q: name }).includes(code), `${code} ${name}`);
      const en = regionNameEn(code) ?? '';
      assert.ok(
        searchRegions({ q: en }, 200).some((r) => r.code === code),
        `${code} ${en}`,
      );
    }),
    { numRuns: 200 },
  );
});

describe('GET /api/v1/regions', () => {
  let hub: TestApp;
  before(async () => {
    hub = await startApp('sqlite');
  });
  after(() => hub.close());

  test('answers choices, cacheable; a bad query is a coded 400', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/api/v1/regions?q=changsha&levels=city' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=3600');
    assert.deepEqual(res.json<{ regions: { code: string; nameEn: string }[] }>().regions[0], {
      code: '430100',
      name: '长沙市',
      nameEn: 'Changsha',
      level: 'city',
      within: '湖南省',
      withinEn: 'Hunan',
    });
    const bad = await hub.app.inject({ method: 'GET', url: '/api/v1/regions?levels=town' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ error: { code: string } }>().error.code, 'YMT_ERR_VALIDATION');
  });
});
