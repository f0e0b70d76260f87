// English names of the GB/T 2260 regions (src/regions/data/gb2260-en.json), made from their Chinese names with the
// pinyin-pro library and its complete word dictionary, @pinyin-pro/data (devDependencies: the hub reads the table,
// not the library), which reads place names' polyphones right (乐清 Yueqing, 单县 Shanxian, 歙县 Shexian). To refresh after gb2260.json
// changes: node scripts/region-names-en.mjs. test/regions/region-names-en.test.ts makes the table again and
// compares, so the committed table is always this script's output.
//
// The place is written in pinyin as one capitalised word, with an apostrophe where a syllable starting with a, o or
// e would run into the one before (六安 Lu'an, 西安 Xi'an); the kind of unit in English after it (区 District, 县
// County, 旗 Banner, 盟 League, 地区 Prefecture; a city's 市 is left out, as in Changsha); an autonomous unit names its
// peoples by their English names (长阳土家族自治县 Changyang Tujia Autonomous County).
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The 55 ethnic minorities' official English names. */
const PEOPLES = {
  蒙古: 'Mongol',
  回: 'Hui',
  藏: 'Tibetan',
  维吾尔: 'Uygur',
  苗: 'Miao',
  彝: 'Yi',
  壮: 'Zhuang',
  布依: 'Bouyei',
  朝鲜: 'Korean',
  满: 'Manchu',
  侗: 'Dong',
  瑶: 'Yao',
  白: 'Bai',
  土家: 'Tujia',
  哈尼: 'Hani',
  哈萨克: 'Kazak',
  傣: 'Dai',
  黎: 'Li',
  傈僳: 'Lisu',
  佤: 'Va',
  畲: 'She',
  高山: 'Gaoshan',
  拉祜: 'Lahu',
  水: 'Sui',
  东乡: 'Dongxiang',
  纳西: 'Naxi',
  景颇: 'Jingpo',
  柯尔克孜: 'Kirgiz',
  土: 'Tu',
  达斡尔: 'Daur',
  仫佬: 'Mulao',
  羌: 'Qiang',
  布朗: 'Blang',
  撒拉: 'Salar',
  毛南: 'Maonan',
  仡佬: 'Gelao',
  锡伯: 'Xibe',
  阿昌: 'Achang',
  普米: 'Pumi',
  塔吉克: 'Tajik',
  怒: 'Nu',
  乌孜别克: 'Uzbek',
  俄罗斯: 'Russian',
  鄂温克: 'Ewenki',
  德昂: 'Deang',
  保安: 'Bonan',
  裕固: 'Yugur',
  京: 'Gin',
  塔塔尔: 'Tatar',
  独龙: 'Derung',
  鄂伦春: 'Oroqen',
  赫哲: 'Hezhen',
  门巴: 'Monba',
  珞巴: 'Lhoba',
  基诺: 'Jino',
};

/** Suffixes, longest first, with their English. */
const KINDS = [
  ['自治县', 'Autonomous County'],
  ['自治州', 'Autonomous Prefecture'],
  ['自治旗', 'Autonomous Banner'],
  ['自治区', 'Autonomous Region'],
  ['特区', 'Special District'],
  ['林区', 'Forestry District'],
  ['地区', 'Prefecture'],
  ['新区', 'New Area'],
  ['区', 'District'],
  ['县', 'County'],
  ['旗', 'Banner'],
  ['盟', 'League'],
  ['市', ''],
  ['省', ''],
];

/** Whole names with an English name of their own. */
const WHOLE = {
  市辖区: 'Municipal Districts',
  县: 'Counties',
  省直辖县级行政区划: 'County-level Units under the Province',
  自治区直辖县级行政区划: 'County-level Units under the Region',
  // Where even the complete dictionary reads a place's character otherwise (行 is háng in 闵行, 洞 tóng in 洪洞).
  闵行区: 'Minhang District',
  洪洞县: 'Hongtong County',
};

/**
 * The first `length` characters of `name` as one word. The whole name is read, then cut: the dictionary knows 歙县
 * (Shè) as a word where 歙 alone reads Xī.
 */
function word(name, length, pinyin) {
  const syllables = pinyin(name, { toneType: 'none', type: 'array' }).slice(0, length);
  const joined = syllables
    .map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s))
    .join('')
    .replace(/[^A-Za-z']/g, '');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

export function englishName(name, pinyin) {
  if (WHOLE[name] !== undefined) return WHOLE[name];
  const kind = KINDS.find(([suffix]) => name.endsWith(suffix) && name.length > suffix.length);
  let stem = kind ? name.slice(0, -kind[0].length) : name;
  const peoples = [];
  if (kind?.[1].startsWith('Autonomous')) {
    // 各族 ("of all peoples") and the peoples named, read from the end.
    stem = stem.replace(/各族$/, '');
    for (;;) {
      if (!stem.endsWith('族')) break;
      const body = stem.slice(0, -1);
      const found = Object.keys(PEOPLES)
        .filter((p) => body.endsWith(p))
        .sort((a, b) => b.length - a.length)[0];
      if (found === undefined) break;
      peoples.unshift(PEOPLES[found]);
      stem = body.slice(0, -found.length);
    }
  }
  const parts = [stem === '' ? '' : word(name, stem.length, pinyin), ...peoples, kind ? kind[1] : ''];
  return parts.filter((p) => p !== '').join(' ');
}

export function englishNames(regions, pinyin) {
  return Object.fromEntries(Object.entries(regions).map(([code, name]) => [code, englishName(name, pinyin)]));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { pinyin, addDict } = await import('pinyin-pro');
  addDict((await import('@pinyin-pro/data/complete')).default);
  const { regions } = JSON.parse(
    readFileSync(new URL('../src/regions/data/gb2260.json', import.meta.url), 'utf8'),
  );
  const names = englishNames(regions, pinyin);
  writeFileSync(
    new URL('../src/regions/data/gb2260-en.json', import.meta.url),
    JSON.stringify(
      { source: 'scripts/region-names-en.mjs (pinyin-pro@3.29.4, @pinyin-pro/data@1.3.1)', names },
      null,
      0,
    ) + '\n',
  );
  console.log(`${Object.keys(names).length} English region names`);
}
