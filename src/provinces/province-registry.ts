/**
 * The 32 provincial units of mutual recognition (MISSION.md Q1.1): the 31 GB/T 2260 provinces and the Xinjiang
 * Production and Construction Corps (新疆生产建设兵团). The Corps has no GB/T 2260 province code; it is given a
 * private one (`CORPS_CODE`, 660000 by default), and its cities 659001–659012 — GB/T 2260 county-level cities
 * listed under Xinjiang — belong to it, not to Xinjiang. Pure.
 */
import { PROVINCES, regionName } from '../regions/regions.ts';

export interface ProvincialUnit {
  /** The 6-digit code: GB/T 2260 for provinces, the configured private code for the Corps. */
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly kind: 'province' | 'corps';
  /** The Corps' cities (code and name); absent for provinces, whose regions follow from their code. */
  readonly cities?: readonly { readonly code: string; readonly name: string }[];
}

export const DEFAULT_CORPS_CODE = '660000';

/** The Corps' cities, 石河子市 (659001) to 白杨市 (659012). */
export const CORPS_CITY_CODES: readonly string[] = Array.from(
  { length: 12 },
  (_, i) => `6590${String(i + 1).padStart(2, '0')}`,
);

/**
 * Province-level codes the Corps may not take: the 31 provinces, and Taiwan, Hong Kong and Macao (71, 81, 82),
 * whose codes GB/T 2260 reserves.
 */
const RESERVED = new Set([...PROVINCES.map((p) => p.code), '710000', '810000', '820000']);

/** Whether a code can be the Corps' private code: six digits ending in 0000, not a reserved province code. */
export function isValidCorpsCode(code: string): boolean {
  return /^[1-9]\d0000$/.test(code) && !RESERVED.has(code);
}

export class ProvinceRegistry {
  private readonly units: readonly ProvincialUnit[];
  private readonly byCode: ReadonlyMap<string, ProvincialUnit>;
  private readonly corpsCities: ReadonlySet<string> = new Set(CORPS_CITY_CODES);

  constructor(readonly corpsCode: string = DEFAULT_CORPS_CODE) {
    if (!isValidCorpsCode(corpsCode)) throw new RangeError(`${corpsCode} cannot be the Corps' code`);
    const corps: ProvincialUnit = {
      code: corpsCode,
      name: '新疆生产建设兵团',
      nameEn: 'Xinjiang Production and Construction Corps',
      kind: 'corps',
      cities: CORPS_CITY_CODES.map((code) => ({ code, name: regionName(code) ?? code })),
    };
    this.units = [...PROVINCES.map((p) => ({ ...p, kind: 'province' as const })), corps];
    this.byCode = new Map(this.units.map((u) => [u.code, u]));
  }

  /** All 32 units, the provinces in GB/T 2260 order, then the Corps. */
  all(): readonly ProvincialUnit[] {
    return this.units;
  }

  get(code: string): ProvincialUnit | undefined {
    return this.byCode.get(code);
  }

  /** A unit as an issuer of the trust list: its code as `iss`, with its names (the code itself if unknown). */
  issuer(code: string): { iss: string; name: string; nameEn: string } {
    const u = this.byCode.get(code);
    return { iss: code, name: u?.name ?? code, nameEn: u?.nameEn ?? code };
  }

  /**
   * The unit a place belongs to, from its 6-digit code: a unit's own code, a Corps city, or any GB/T 2260 code
   * (by its first two digits). Undefined for codes of no unit.
   */
  unitOf(code: string): ProvincialUnit | undefined {
    if (!/^\d{6}$/.test(code)) return undefined;
    const own = this.byCode.get(code);
    if (own) return own;
    if (this.corpsCities.has(code)) return this.byCode.get(this.corpsCode);
    if (regionName(code) === undefined) return undefined;
    return this.byCode.get(`${code.slice(0, 2)}0000`);
  }
}
