/**
 * Masking a record as a department sent it (a quarantined NDJSON line or CSV row, or free text a holder wrote)
 * before anyone but its sender sees it. The record failed validation, so nothing in it can be trusted to sit in
 * the right field: fields are masked by name where the record is a JSON object, and then every value (or the
 * whole text, when it is not JSON) is scrubbed of what looks like a document number or a phone. Pure.
 *
 * - `documentNumber` by its `documentType` (an ID number or a passport), `phone` as a phone, a field whose name
 *   contains "name" as a name.
 * - Anywhere: a run of 7 or more letters and digits with at least 5 digits (ID numbers, passports, phones,
 *   however mangled) keeps only its ends; region codes (6 digits), dates, times, train and flight numbers pass.
 * - Fields the feed contract does not know, and text that is not JSON: runs of Chinese characters are masked as
 *   names (the contract has no field for a name, so a name there is a mistake to hide, not data to show).
 */
import { FEED_FIELDS } from '../feeds/feed-records.domain.ts';
import { maskDocumentNumber, maskIdNumber, maskName, maskPassport, maskPhone } from './masking.ts';

const SUSPECT_RUN = /[A-Za-z0-9]{7,}/g;
const HAN_RUN = /\p{Script=Han}+/gu;
const ID_NUMBER = /^\d{17}[\dXx]$/;
const MAINLAND_PHONE = /^1\d{10}$/;

/** The feed contract's field names that hold no personal data by themselves. */
const PLAIN_FIELDS: ReadonlySet<string> = new Set(
  Object.values(FEED_FIELDS)
    .flatMap((f) => [...f.required, ...f.optional])
    .filter((f) => f !== 'documentNumber' && f !== 'phone'),
);

function maskRun(run: string): string {
  if ((run.match(/\d/g)?.length ?? 0) < 5) return run;
  if (ID_NUMBER.test(run)) return maskIdNumber(run);
  if (MAINLAND_PHONE.test(run)) return maskPhone(run);
  return maskPassport(run);
}

/** Scrubs text of what looks like a document number or a phone; of Chinese names too when `han`. */
export function scrubText(text: string, han: boolean): string {
  const scrubbed = text.replace(SUSPECT_RUN, maskRun);
  return han ? scrubbed.replace(HAN_RUN, (run) => maskName(run)) : scrubbed;
}

function maskValue(value: unknown, han: boolean): unknown {
  if (typeof value === 'string') return scrubText(value, han);
  if (typeof value === 'number') {
    const masked = scrubText(String(value), false);
    return masked === String(value) ? value : masked;
  }
  if (Array.isArray(value)) return value.map((v) => maskValue(v, han));
  if (typeof value === 'object' && value !== null) return maskObject(value as Record<string, unknown>);
  return value;
}

function maskObject(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'documentNumber' && typeof value === 'string') {
      out[key] =
        record.documentType === 'passport' || record.documentType === 'id_card'
          ? maskDocumentNumber(record.documentType, value)
          : maskPassport(value);
    } else if (key === 'phone' && typeof value === 'string') {
      out[key] = maskPhone(value);
    } else if (/name/i.test(key) && typeof value === 'string') {
      out[key] = maskName(value);
    } else {
      out[key] = maskValue(value, !PLAIN_FIELDS.has(key));
    }
  }
  return out;
}

/** A quarantined record's text, masked: a JSON object field by field, anything else as text. */
export function maskRecordText(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return scrubText(text, true);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return scrubText(text, true);
  return JSON.stringify(maskObject(parsed as Record<string, unknown>));
}
