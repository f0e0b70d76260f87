/** China Standard Time is UTC+8 all year (no daylight saving since 1991), so a fixed offset is exact. */
const OFFSET_MS = 8 * 3600 * 1000;

/** The calendar date in Asia/Shanghai, YYYY-MM-DD. */
export function shanghaiDate(at: Date | number): string {
  return new Date(+at + OFFSET_MS).toISOString().slice(0, 10);
}

/** The first instant of the next calendar day in Asia/Shanghai. */
export function nextShanghaiMidnight(at: Date | number): Date {
  const day = shanghaiDate(at);
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - OFFSET_MS + 24 * 3600 * 1000);
}

/** An instant as people in China read it: Beijing time to the minute, `YYYY-MM-DD HH:mm`. */
export function shanghaiMinute(at: Date | number): string {
  return new Date(+at + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
