/** The English region names: the committed table is what scripts/region-names-en.mjs makes with pinyin-pro. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDict, pinyin } from 'pinyin-pro';
import CompleteDict from '@pinyin-pro/data/complete';
import gb2260 from '../../src/regions/data/gb2260.json' with { type: 'json' };
import gb2260En from '../../src/regions/data/gb2260-en.json' with { type: 'json' };
import { regionNameEn } from '../../src/regions/regions.ts';
// @ts-expect-error -- a plain JavaScript script, without types
import { englishName, englishNames } from '../../scripts/region-names-en.mjs';

addDict(CompleteDict);
const make = englishNames as (regions: Record<string, string>, p: typeof pinyin) => Record<string, string>;
const one = englishName as (name: string, p: typeof pinyin) => string;

test('the committed table is the script’s output, for every region, in Latin letters only', () => {
  assert.deepEqual(gb2260En.names, make(gb2260.regions, pinyin));
  for (const [code, name] of Object.entries(gb2260En.names))
    assert.match(name, /^[A-Za-z][A-Za-z' -]*$/, `${code} ${name}`);
});

test('places, kinds and peoples', () => {
  const cases: [string, string][] = [
    ['长沙市', 'Changsha'],
    ['朝阳区', 'Chaoyang District'],
    ['六安市', "Lu'an"],
    ['西安市', "Xi'an"],
    ['长阳土家族自治县', 'Changyang Tujia Autonomous County'],
    ['大理白族自治州', 'Dali Bai Autonomous Prefecture'],
    ['兴安盟', "Xing'an League"],
    ['喀什地区', 'Kashi Prefecture'],
    ['乐清市', 'Yueqing'],
    ['歙县', 'She County'],
    ['闵行区', 'Minhang District'],
  ];
  for (const [zh, en] of cases) assert.equal(one(zh, pinyin), en, zh);
  // Provinces keep their own English names.
  assert.equal(regionNameEn('650000'), 'Xinjiang');
  assert.equal(regionNameEn('430100'), 'Changsha');
});
