/**
 * Identity documents, names and phone numbers: validation and normalisation. Pure; the clock is a parameter.
 */
import type { ErrorCode } from '../errors/registry.ts';
import { parseIdCardNumber, type IdCardInfo } from './id-card.domain.ts';
import { isCountryAlpha3 } from '../regions/regions.ts';
import { parsePassport } from './passport.domain.ts';

export type DocumentType = 'id_card' | 'passport';
export const DOCUMENT_TYPES: readonly DocumentType[] = ['id_card', 'passport'];
/**
 * What a holder is known by: a document, or for a person with neither ID card nor passport whom a registrar
 * recorded (Q9, docs/registrars.md) a registration number the hub gave (`registered`, never a sign-in).
 */
export type HolderDocumentType = DocumentType | 'registered';

export interface DocumentRef {
  readonly type: DocumentType;
  /** Normalised number (upper case). */
  readonly number: string;
  /** ISO 3166-1 alpha-3; CHN for resident identity cards. */
  readonly nationality: string;
  /** Present for identity cards: what GB 11643 tells us. */
  readonly idCard?: IdCardInfo;
}

export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; field: string };

export function parseDocument(
  type: DocumentType,
  number: string,
  nationality: string | undefined,
  today: string,
): Result<DocumentRef> {
  if (type === 'id_card') {
    const r = parseIdCardNumber(number, today);
    if (!r.ok) return { ok: false, code: r.code, field: 'documentNumber' };
    // Residence permits of Hong Kong, Macao and Taiwan residents are GB 11643 numbers too; they are not CHN passports.
    const nat = nationality?.trim().toUpperCase() || 'CHN';
    // A nationality given beside an ID number is an ISO 3166-1 alpha-3 code too, never ignored (docs/api.md#nationality).
    if (!isCountryAlpha3(nat)) return { ok: false, code: 'YMT_ERR_NATIONALITY', field: 'nationality' };
    return { ok: true, value: { type, number: r.value.number, nationality: nat, idCard: r.value } };
  }
  const r = parsePassport(number, nationality ?? '');
  if (!r.ok)
    return {
      ok: false,
      code: r.code,
      field: r.code === 'YMT_ERR_NATIONALITY' ? 'nationality' : 'documentNumber',
    };
  return { ok: true, value: { type, number: r.value.number, nationality: r.value.nationality } };
}

/** The document's lookup key before hashing: type, nationality (passports) and number. */
export function documentKey(
  doc: Pick<DocumentRef, 'number' | 'nationality'> & { readonly type: HolderDocumentType },
): string {
  if (doc.type === 'passport') return `passport:${doc.nationality}:${doc.number}`;
  return `${doc.type}:${doc.number}`;
}

/**
 * Names: Unicode letters and marks, spaces, the middle dot of minority and transliterated names (·),
 * hyphen, apostrophe and period. NFC, trimmed, inner whitespace collapsed; Latin letters upper-cased so that
 * "John Smith" and "JOHN SMITH" are the same person on a passport; a bullet (•) typed for the dot becomes the dot.
 * The dots are written as escapes (\u00B7 ·, \u2022 •) because esbuild copies regular expressions as written, and
 * the compiled hub must stay ASCII (scripts/build-server.mjs says why).
 */
export function normaliseName(input: string): Result<string> {
  const name = input.normalize('NFC').trim().replace(/\s+/g, ' ').toUpperCase();
  const length = Array.from(name).length;
  if (length < 1 || length > 64 || !/^[\p{L}\p{M}][\p{L}\p{M} \u00B7\u2022.'-]*$/u.test(name)) {
    return { ok: false, code: 'YMT_ERR_NAME_FORMAT', field: 'name' };
  }
  return { ok: true, value: name.replace(/\u2022/g, '\u00B7') };
}

/**
 * Phones: a mainland mobile number (1[3-9] + 9 digits, an optional +86 prefix is dropped) or an international
 * number in E.164 form (+ and 7–15 digits) for inbound travellers. Spaces and hyphens are ignored.
 */
export function normalisePhone(input: string): Result<string> {
  const compact = input.replace(/[\s-]/g, '');
  const mainland = /^(?:\+86)?(1[3-9]\d{9})$/.exec(compact);
  if (mainland?.[1]) return { ok: true, value: mainland[1] };
  if (/^\+[1-9]\d{6,14}$/.test(compact)) return { ok: true, value: compact };
  return { ok: false, code: 'YMT_ERR_PHONE_FORMAT', field: 'phone' };
}
