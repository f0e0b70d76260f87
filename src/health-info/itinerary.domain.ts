/**
 * The 14-day itinerary (MISSION.md Q2.4): declared cities beside the telecom itinerary, compared at the level
 * of cities — the four municipalities as a whole, elsewhere the prefecture-level unit. Pure.
 */
const MUNICIPALITY_PREFIXES = new Set(['11', '12', '31', '50']);

/** The city a GB/T 2260 code belongs to. */
export function cityOf(code: string): string {
  const province = code.slice(0, 2);
  return MUNICIPALITY_PREFIXES.has(province) ? `${province}0000` : `${code.slice(0, 4)}00`;
}

export interface Stay {
  readonly cityCode: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** A stay counts when it lasted at least `stayHours` (the telecom itinerary's 4-hour rule). */
export function counts(stay: Stay, stayHours: number): boolean {
  return stay.lastSeen - stay.firstSeen >= stayHours * 3600_000;
}

export function compareItinerary(
  declared: readonly string[],
  stays: readonly Stay[],
  stayHours: number,
): { declaredNotSeen: string[]; seenNotDeclared: string[] } {
  const declaredCities = new Set(declared.map(cityOf));
  const seenCities = new Set(stays.filter((s) => counts(s, stayHours)).map((s) => cityOf(s.cityCode)));
  return {
    declaredNotSeen: [...declaredCities].filter((c) => !seenCities.has(c)).sort(),
    seenNotDeclared: [...seenCities].filter((c) => !declaredCities.has(c)).sort(),
  };
}
