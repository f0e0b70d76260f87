/**
 * The machine-readable zone of a passport (ICAO Doc 9303 Part 4, TD3: two lines of 44 characters from A–Z, 0–9 and
 * "<"): read, its five check digits verified (document number, birth date, expiry, personal number, composite), and
 * compared with the document typed beside it. Pure.
 *
 * A check digit is Σ value × weight mod 10 over the field, weights 7, 3, 1 repeating, digits counting as themselves,
 * A–Z as 10–35 and "<" as 0 (Part 3 §4.9). An empty personal number may carry "<" as its check digit.
 */
import type { ErrorCode } from '../errors/registry.ts';

export interface MrzPassport {
  /** Without the filler "<". */
  readonly documentNumber: string;
  readonly issuingState: string;
  readonly nationality: string;
  /** YYMMDD, as printed. */
  readonly birthDate: string;
  readonly sex: 'M' | 'F' | '<';
  /** YYMMDD, as printed. */
  readonly expiryDate: string;
}

export type MrzResult = { ok: true; value: MrzPassport } | { ok: false; code: ErrorCode };

const LINE = /^[A-Z0-9<]{44}$/;
const WEIGHTS = [7, 3, 1] as const;

function value(ch: string): number {
  if (ch === '<') return 0;
  const c = ch.charCodeAt(0);
  return c <= 57 ? c - 48 : c - 55;
}

/** The ICAO 9303 check digit of a field. */
export function checkDigit(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) sum += value(field.charAt(i)) * (WEIGHTS[i % 3] ?? 1);
  return String(sum % 10);
}

/**
 * A state's code as the zone writes it, as ISO 3166-1 alpha-3: Germany alone writes "D" (Doc 9303 Part 3 §5),
 * which is DEU. ICAO's own codes for no state (XXA stateless, XXB refugee, XXC other refugee, XXX unspecified) are
 * kept as written: they are no nationality the hub knows a passport by (docs/api.md#nationality).
 */
function iso3166(code: string): string {
  return code === 'D' ? 'DEU' : code;
}

/** Both lines: separated by a line break, or run together (88 characters); spaces and case are forgiven. */
export function parseMrz(input: string): MrzResult {
  const text = input.toUpperCase().replace(/[ \t]/g, '').trim();
  const lines = text.includes('\n')
    ? text.split(/\r?\n/).filter((l) => l !== '')
    : [text.slice(0, 44), text.slice(44)];
  const [first, second] = lines;
  if (
    lines.length !== 2 ||
    first === undefined ||
    second === undefined ||
    !LINE.test(first) ||
    !LINE.test(second)
  )
    return { ok: false, code: 'YMT_ERR_MRZ_FORMAT' };
  if (!first.startsWith('P')) return { ok: false, code: 'YMT_ERR_MRZ_FORMAT' };
  const number = second.slice(0, 9);
  const birth = second.slice(13, 19);
  const expiry = second.slice(21, 27);
  const personal = second.slice(28, 42);
  const personalCheck = second.charAt(42);
  const composite = second.slice(0, 10) + second.slice(13, 20) + second.slice(21, 43);
  const checks = [
    checkDigit(number) === second.charAt(9),
    checkDigit(birth) === second.charAt(19),
    checkDigit(expiry) === second.charAt(27),
    checkDigit(personal) === personalCheck || (personalCheck === '<' && /^<+$/.test(personal)),
    checkDigit(composite) === second.charAt(43),
  ];
  if (checks.includes(false)) return { ok: false, code: 'YMT_ERR_MRZ_CHECK_DIGIT' };
  const sex = second.charAt(20);
  if (sex !== 'M' && sex !== 'F' && sex !== '<') return { ok: false, code: 'YMT_ERR_MRZ_FORMAT' };
  return {
    ok: true,
    value: {
      documentNumber: number.replace(/<+$/, ''),
      issuingState: iso3166(first.slice(2, 5).replace(/<+$/, '')),
      nationality: iso3166(second.slice(10, 13).replace(/<+$/, '')),
      birthDate: birth,
      sex,
      expiryDate: expiry,
    },
  };
}

/**
 * Whether the zone names the passport typed beside it. A number longer than the zone's nine characters continues
 * in the personal-number field (Part 4 §4.2.4); the first nine are compared.
 */
export function mrzNames(mrz: MrzPassport, passport: { number: string; nationality: string }): boolean {
  return mrz.documentNumber === passport.number.slice(0, 9) && mrz.nationality === passport.nationality;
}
