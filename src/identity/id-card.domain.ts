/**
 * GB 11643-1999 citizen identity numbers (公民身份号码): 6-digit address code, 8-digit birth date (YYYYMMDD),
 * 3-digit sequence code (odd for men, even for women) and one ISO 7064 MOD 11-2 check character.
 * Pure: the clock is a parameter.
 */
import type { ErrorCode } from '../errors/registry.ts';
import { isIdNumberRegionPrefix } from '../regions/regions.ts';
import { isCalendarDate } from '../time/calendar.ts';

export interface IdCardInfo {
  /** Normalised: upper-case X. */
  readonly number: string;
  readonly regionCode: string;
  /** ISO date YYYY-MM-DD. */
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
}

export type IdCardResult = { ok: true; value: IdCardInfo } | { ok: false; code: ErrorCode };

/** GB 11643-1999 §8.2: weights W_i = 2^(i-1) mod 11, i counted from the right, check character excluded. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** ISO 7064 MOD 11-2: the check character for each value of (sum mod 11). */
const CHECK_CHARS = '10X98765432';
/** Anyone born before this date is not a holder; the standard's own example is from 1880. */
const EARLIEST_BIRTH = '1850-01-01';

export function idCardCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/**
 * Validates an ID number. `today` is the current date in Asia/Shanghai (YYYY-MM-DD): a birth date after it is
 * rejected.
 */
export function parseIdCardNumber(input: string, today: string): IdCardResult {
  const number = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(number)) return { ok: false, code: 'YMT_ERR_ID_NUMBER_FORMAT' };
  if (!isIdNumberRegionPrefix(number.slice(0, 2))) return { ok: false, code: 'YMT_ERR_ID_NUMBER_REGION' };
  const y = Number(number.slice(6, 10));
  const m = Number(number.slice(10, 12));
  const d = Number(number.slice(12, 14));
  const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
  if (!isCalendarDate(y, m, d) || birthDate > today || birthDate < EARLIEST_BIRTH) {
    return { ok: false, code: 'YMT_ERR_ID_NUMBER_BIRTH_DATE' };
  }
  if (idCardCheckChar(number) !== number.charAt(17)) return { ok: false, code: 'YMT_ERR_ID_NUMBER_CHECKSUM' };
  const sequenceLast = number.charCodeAt(16) - 48;
  return {
    ok: true,
    value: {
      number,
      regionCode: number.slice(0, 6),
      birthDate,
      sex: sequenceLast % 2 === 1 ? 'male' : 'female',
    },
  };
}
