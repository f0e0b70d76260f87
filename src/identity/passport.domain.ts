/**
 * Passports: a number plus the ISO 3166-1 alpha-3 nationality of the issuing state. ICAO Doc 9303 allows up to
 * 9 characters in the machine-readable zone; some states print longer numbers, so we accept 5–20 letters and
 * digits. PRC ordinary passports (因私普通护照) follow E + 8 digits or E + letter + 7 digits (older: G + 8 digits).
 */
import type { ErrorCode } from '../errors/registry.ts';
import { isCountryAlpha3 } from '../regions/regions.ts';

export interface PassportInfo {
  readonly number: string;
  readonly nationality: string;
}

export type PassportResult = { ok: true; value: PassportInfo } | { ok: false; code: ErrorCode };

const PRC_ORDINARY = /^(E\d{8}|E[A-HJ-NP-Z]\d{7}|G\d{8})$/;

export function parsePassport(numberInput: string, nationalityInput: string): PassportResult {
  const number = numberInput.trim().toUpperCase();
  const nationality = nationalityInput.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(nationality) || !isCountryAlpha3(nationality)) {
    return { ok: false, code: 'YMT_ERR_NATIONALITY' };
  }
  if (!/^[A-Z0-9]{5,20}$/.test(number)) return { ok: false, code: 'YMT_ERR_PASSPORT_FORMAT' };
  if (nationality === 'CHN' && !PRC_ORDINARY.test(number))
    return { ok: false, code: 'YMT_ERR_PASSPORT_FORMAT' };
  return { ok: true, value: { number, nationality } };
}
