/**
 * Choosing a region by name, never typing its code (Q9: forms anyone can fill): the regions whose Chinese name holds
 * the words typed, whose English (pinyin) name starts with them — ignoring case, spaces and apostrophes, so that
 * "changsha", "Chang sha" and "xian" all find what they should —, or whose code starts with the digits; or, without
 * words, the regions under a parent (province → cities → counties). Pure; the tables are src/regions/data.
 */
import { allRegions, regionName, regionNameEn } from './regions.ts';

export type RegionLevel = 'province' | 'city' | 'county';

export interface RegionChoice {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly level: RegionLevel;
  /** The province (and city) it belongs to, in both languages, to tell apart places of the same name. */
  readonly within: string;
  readonly withinEn: string;
}

export const REGION_SEARCH_LIMIT = 20;

export function levelOf(code: string): RegionLevel {
  if (code.endsWith('0000')) return 'province';
  return code.endsWith('00') ? 'city' : 'county';
}

/** GB/T 2260's placeholders for "the districts" and "the counties" of a municipality: not places to choose. */
export const PLACEHOLDER: ReadonlySet<string> = new Set([
  '市辖区',
  '县',
  '省直辖县级行政区划',
  '自治区直辖县级行政区划',
]);

/** The parent's code: a county's city (or, in a municipality, the province), a city's province. */
export function parentOf(code: string): string | undefined {
  const level = levelOf(code);
  if (level === 'province') return undefined;
  const city = `${code.slice(0, 4)}00`;
  const cityName = regionName(city);
  if (level === 'county' && cityName !== undefined && !PLACEHOLDER.has(cityName)) return city;
  return `${code.slice(0, 2)}0000`;
}

const folded = (s: string) => s.toLowerCase().replace(/[\s']/g, '');

interface Entry {
  readonly code: string;
  readonly name: string;
  readonly en: string;
  readonly folded: string;
  /** The English name's first word, folded: the place without its kind (Changsha of Changsha County). */
  readonly stem: string;
}

let index: Entry[] | undefined;
function entries(): Entry[] {
  index ??= [...allRegions()]
    .filter(([, name]) => !PLACEHOLDER.has(name))
    .map(([code, name]) => {
      const en = regionNameEn(code) ?? '';
      return { code, name, en, folded: folded(en), stem: folded(en.split(' ')[0] ?? '') };
    });
  return index;
}

function choice(e: Entry): RegionChoice {
  const chain: { name: string; en: string }[] = [];
  for (let p = parentOf(e.code); p !== undefined; p = parentOf(p)) {
    const found = entries().find((x) => x.code === p);
    if (found) chain.unshift({ name: found.name, en: found.en });
  }
  return {
    code: e.code,
    name: e.name,
    nameEn: e.en,
    level: levelOf(e.code),
    within: chain.map((c) => c.name).join(''),
    withinEn: chain
      .map((c) => c.en)
      .reverse()
      .join(', '),
  };
}

/**
 * For words, at most `limit` choices: exact names (and places of that name, whatever their kind) first, then by
 * level (provinces, cities, counties) and code. Without words, every child of `parent` (the provinces without one),
 * in code order. `levels` keeps only those levels.
 */
export function searchRegions(
  query: { q?: string; parent?: string; levels?: readonly RegionLevel[] },
  limit = REGION_SEARCH_LIMIT,
): RegionChoice[] {
  const levels = query.levels ?? ['province', 'city', 'county'];
  const wanted = (code: string) => levels.includes(levelOf(code));
  const q = (query.q ?? '').normalize('NFC').trim();
  if (q === '') {
    const parent = query.parent;
    const under = entries().filter((e) =>
      parent === undefined
        ? levelOf(e.code) === 'province'
        : e.code !== parent && parentOf(e.code) === parent,
    );
    // Every child: a city has up to a few dozen counties.
    return under.map(choice);
  }
  const digits = /^\d{1,6}$/.test(q);
  const f = folded(q);
  const rank = (e: Entry): number | undefined => {
    if (digits) return e.code.startsWith(q) ? 2 : undefined;
    if (e.name === q || e.folded === f || e.stem === f) return 0;
    if (e.name.includes(q)) return 1;
    if (f !== '' && e.folded.startsWith(f)) return 1;
    return undefined;
  };
  const order = { province: 0, city: 1, county: 2 };
  return entries()
    .filter((e) => wanted(e.code))
    .flatMap((e) => {
      const r = rank(e);
      return r === undefined ? [] : [{ e, r }];
    })
    .sort(
      (a, b) =>
        a.r - b.r || order[levelOf(a.e.code)] - order[levelOf(b.e.code)] || a.e.code.localeCompare(b.e.code),
    )
    .slice(0, limit)
    .map(({ e }) => choice(e));
}
