import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CORPS_CITY_CODES,
  isValidCorpsCode,
  ProvinceRegistry,
} from '../../src/provinces/province-registry.ts';

test('32 provincial units: the 31 provinces and the Corps, each named in Chinese and English', () => {
  const units = new ProvinceRegistry().all();
  assert.equal(units.length, 32);
  assert.equal(new Set(units.map((u) => u.code)).size, 32);
  assert.equal(units.filter((u) => u.kind === 'province').length, 31);
  for (const u of units) {
    assert.match(u.code, /^\d{2}0000$/);
    assert.ok(u.name.length > 1 && /[\u4e00-\u9fff]/.test(u.name), u.code);
    assert.ok(/^[A-Z][A-Za-z ]+$/.test(u.nameEn), u.code);
  }
  const corps = units.at(-1);
  assert.ok(corps?.cities);
  assert.deepEqual([corps.code, corps.name, corps.kind], ['660000', '新疆生产建设兵团', 'corps']);
  assert.deepEqual(
    corps.cities.map((c) => c.code),
    CORPS_CITY_CODES,
  );
  assert.deepEqual([corps.cities[0]?.name, corps.cities[11]?.name], ['石河子市', '白杨市']);
  assert.equal(new ProvinceRegistry().get('440000')?.nameEn, 'Guangdong');
});

test('the unit a place belongs to: provinces by prefix, Corps cities to the Corps', () => {
  const r = new ProvinceRegistry();
  assert.equal(r.unitOf('440305')?.code, '440000', 'Shenzhen Nanshan is in Guangdong');
  assert.equal(r.unitOf('110000')?.code, '110000');
  assert.equal(r.unitOf('650102')?.code, '650000', 'Urumqi Tianshan is in Xinjiang');
  assert.equal(r.unitOf('659001')?.code, '660000', 'Shihezi belongs to the Corps');
  assert.equal(r.unitOf('660000')?.code, '660000');
  assert.equal(r.unitOf('999999'), undefined);
  assert.equal(r.unitOf('81000'), undefined);
  assert.equal(r.unitOf('810000'), undefined, 'Hong Kong is not a unit of the hub');
});

test('the Corps code is configurable, but not onto a reserved province code', () => {
  const r = new ProvinceRegistry('670000');
  assert.equal(r.get('670000')?.kind, 'corps');
  assert.equal(r.unitOf('659005')?.code, '670000');
  assert.equal(r.get('660000'), undefined);
  for (const bad of ['650000', '110000', '710000', '810000', '820000', '66000', '660100', '060000']) {
    assert.equal(isValidCorpsCode(bad), false, bad);
    assert.throws(() => new ProvinceRegistry(bad), RangeError);
  }
});
