/**
 * A deterministic synthetic population and its department feeds (`yimatong seed`): the same seed and end date
 * always give the same files. People live across the 32 provincial units (valid GB 11643 numbers with real
 * region codes, some passports); they take trains and flights, come in on inbound flights, leave a telecom
 * itinerary; some areas turn medium or high risk; some people become cases. Pure: no I/O, no clock.
 */
import { idCardCheckChar } from '../identity/id-card.domain.ts';
import { CORPS_CITY_CODES } from '../provinces/province-registry.ts';
import { countiesOf, PROVINCES } from '../regions/regions.ts';

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedOptions {
  readonly people: number;
  readonly days: number;
  readonly seed: number;
  /** The last day of the generated period, YYYY-MM-DD (Asia/Shanghai). */
  readonly until: string;
}

export type SeedFeeds = Record<
  'identities' | 'health' | 'railway' | 'aviation' | 'immigration' | 'telecom' | 'area-risk',
  object[]
>;

const SURNAMES = Array.from(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
);
const GIVEN = Array.from(
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕鹏辉建国建华志强文婷雪梅晨阳宇浩欣怡子涵梓轩一诺思远',
);
const FOREIGN = ['GBR', 'USA', 'JPN', 'KOR', 'DEU', 'FRA', 'SGP', 'AUS', 'CAN', 'RUS'];
const LATIN = ['JOHN', 'MARY', 'DAVID', 'ANNA', 'PETER', 'LUCY', 'HANS', 'SOPHIE', 'KENJI', 'MINJI'];
const LATIN_FAMILY = [
  'SMITH',
  'BROWN',
  'MILLER',
  'TANAKA',
  'KIM',
  'MULLER',
  'MARTIN',
  'LEE',
  'WILSON',
  'IVANOV',
];
const AIRLINES = ['CA', 'MU', 'CZ', 'HU', 'ZH', '3U', 'MF'];
const INBOUND = ['CA934', 'MU552', 'CZ312', 'CA982', 'MU588', 'CZ366'];
const PORTS = ['PEK', 'PVG', 'CAN', 'SZX', 'CTU'];

function day(until: string, back: number): string {
  return new Date(Date.parse(`${until}T00:00:00Z`) - back * 86400_000).toISOString().slice(0, 10);
}

export function generatePopulation(o: SeedOptions): SeedFeeds {
  const rnd = prng(o.seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const units = [...PROVINCES.map((p) => countiesOf(p.code)), CORPS_CITY_CODES].filter((u) => u.length > 0);
  const feeds: SeedFeeds = {
    identities: [],
    health: [],
    railway: [],
    aviation: [],
    immigration: [],
    telecom: [],
    'area-risk': [],
  };
  const usedIds = new Set<string>();

  interface Person {
    doc: { documentType: string; documentNumber: string; nationality?: string };
    home: string;
    phone: string;
  }
  const people: Person[] = [];
  for (let i = 0; i < o.people; i++) {
    const home = pick(pick(units));
    const phone = `1${3 + int(7)}${String(10_000_000 + i).slice(-8)}${int(10)}`;
    let doc: Person['doc'];
    let name: string;
    if (rnd() < 0.05) {
      const nationality = rnd() < 0.3 ? 'CHN' : pick(FOREIGN);
      const number = nationality === 'CHN' ? `E${String(10_000_000 + i).slice(-8)}` : `${100_000_000 + i}`;
      doc = { documentType: 'passport', documentNumber: number, nationality };
      name = nationality === 'CHN' ? pick(SURNAMES) + pick(GIVEN) : `${pick(LATIN)} ${pick(LATIN_FAMILY)}`;
    } else {
      let number: string;
      do {
        const birth = day('2010-12-31', int(80 * 365));
        const first17 = `${home}${birth.replace(/-/g, '')}${String(int(1000)).padStart(3, '0')}`;
        number = first17 + idCardCheckChar(first17);
      } while (usedIds.has(number));
      usedIds.add(number);
      doc = { documentType: 'id_card', documentNumber: number };
      name = pick(SURNAMES) + pick(GIVEN) + (rnd() < 0.5 ? pick(GIVEN) : '');
    }
    people.push({ doc, home, phone });
    feeds.identities.push({ ...doc, name, phone });
  }

  const trains = Array.from(
    { length: Math.max(2, Math.ceil(o.people / 400)) },
    (_, i) => `${pick(['G', 'D', 'K', 'Z'])}${100 + i}`,
  );
  const flights = Array.from(
    { length: Math.max(2, Math.ceil(o.people / 500)) },
    (_, i) => `${pick(AIRLINES)}${1000 + i}`,
  );
  for (let d = o.days - 1; d >= 0; d--) {
    const date = day(o.until, d);
    for (const p of people) {
      // Everyone's phone is seen at home for most of the day.
      feeds.telecom.push({
        phone: p.phone,
        cityCode: p.home,
        firstSeen: `${date}T00:00:00+08:00`,
        lastSeen: `${date}T${String(8 + int(14)).padStart(2, '0')}:00:00+08:00`,
      });
      const r = rnd();
      if (r < 0.04) {
        const destination = pick(pick(units));
        feeds.railway.push({
          ...p.doc,
          trainNo: pick(trains),
          date,
          carriage: 1 + int(8),
          seat: `${String(1 + int(20)).padStart(2, '0')}${pick(['A', 'B', 'C', 'D', 'F'])}`,
        });
        feeds.telecom.push({
          phone: p.phone,
          cityCode: destination,
          firstSeen: `${date}T14:00:00+08:00`,
          lastSeen: `${date}T${14 + 1 + int(9)}:00:00+08:00`,
        });
      } else if (r < 0.06) {
        feeds.aviation.push({
          ...p.doc,
          flightNo: pick(flights),
          date,
          seat: `${1 + int(40)}${pick(['A', 'B', 'C', 'D', 'E', 'F'])}`,
        });
      } else if (r < 0.062 || (p.doc.documentType === 'passport' && r < 0.1)) {
        feeds.immigration.push({ ...p.doc, flightNo: pick(INBOUND), date, port: pick(PORTS) });
      }
    }
  }
  const allUnits = units.flat();
  for (let i = 0; i < Math.max(2, Math.ceil(allUnits.length / 200)); i++) {
    const from = day(o.until, int(o.days));
    feeds['area-risk'].push({
      areaCode: pick(allUnits),
      level: rnd() < 0.3 ? 'high' : 'medium',
      from: `${from}T00:00:00+08:00`,
      to: `${day(from, -14)}T00:00:00+08:00`,
      authority: '地方卫生健康委员会',
    });
  }
  for (const p of people) {
    if (rnd() < 0.005) {
      const at = day(o.until, int(o.days));
      feeds.health.push({
        ...p.doc,
        status: rnd() < 0.7 ? 'confirmed' : 'suspected',
        at: `${at}T10:00:00+08:00`,
      });
    }
  }
  return feeds;
}
