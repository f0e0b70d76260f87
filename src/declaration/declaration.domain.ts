/**
 * The health declaration (GB/T 38962 groups): validation and the once-a-day modification rule (Q4).
 * Pure; the HTTP schema checks JSON types, this checks meaning.
 */
import { fieldProblem, type FieldProblem } from '../errors/app-error.ts';
import type { ErrorCode } from '../errors/registry.ts';
import { normalisePhone } from '../identity/document.domain.ts';
import { isCityOrCounty, isKnownRegion } from '../regions/regions.ts';
import { validateEntry, type EntryFields } from './entry.domain.ts';

export type Sex = 'male' | 'female' | 'unspecified';

/** What the holder fills in. Name, document and nationality come from the real-name identity. */
export interface DeclarationFields {
  // 基本信息 (basic information)
  readonly phone: string;
  readonly householdRegion: string;
  readonly address: string;
  readonly underlyingConditions: string;
  /** Only asked of passport holders; an ID number tells the sex. */
  readonly sex: Sex;
  // 健康信息 (health information)
  readonly temperature: number;
  readonly symptoms: readonly string[];
  readonly contactWithCases: boolean;
  readonly recentCities: readonly string[];
  // 入境信息 (inbound travellers, Q10): absent for everyone else
  readonly entry?: EntryFields;
}

export const TEMPERATURE_MIN = 34;
export const TEMPERATURE_MAX = 43;
const MAX_SYMPTOMS = 20;
const MAX_CITIES = 60;
const CONTROL = /[\p{Cc}\p{Cf}]/u;

export type DeclarationInput = Partial<Record<keyof DeclarationFields, unknown>>;
export type Validated = { ok: true; value: DeclarationFields } | { ok: false; problems: FieldProblem[] };

function cleanText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.normalize('NFC').trim();
  if (Array.from(t).length > max || CONTROL.test(t)) return undefined;
  return t;
}

/**
 * Validates a complete declaration. Every problem is reported, each with its field. `today` (Asia/Shanghai) bounds
 * an entry's date.
 */
export function validateDeclaration(input: DeclarationInput, today: string): Validated {
  const problems: FieldProblem[] = [];
  const bad = (field: string, code: ErrorCode = 'YMT_ERR_VALIDATION') =>
    problems.push(fieldProblem(field, code));

  const phone = typeof input.phone === 'string' ? normalisePhone(input.phone) : undefined;
  if (!phone?.ok) bad('phone', 'YMT_ERR_PHONE_FORMAT');

  const householdRegion = input.householdRegion;
  if (typeof householdRegion !== 'string' || !/^\d{6}$/.test(householdRegion)) bad('householdRegion');
  else if (!isKnownRegion(householdRegion)) bad('householdRegion', 'YMT_ERR_REGION_UNKNOWN');

  const address = cleanText(input.address, 200);
  if (address === undefined || address.length === 0) bad('address');

  const underlyingConditions =
    input.underlyingConditions === undefined ? '' : cleanText(input.underlyingConditions, 500);
  if (underlyingConditions === undefined) bad('underlyingConditions');

  const sex = input.sex ?? 'unspecified';
  if (sex !== 'male' && sex !== 'female' && sex !== 'unspecified') bad('sex');

  const temperature = input.temperature;
  if (typeof temperature !== 'number' || !Number.isFinite(temperature)) bad('temperature');
  else if (temperature < TEMPERATURE_MIN || temperature > TEMPERATURE_MAX)
    bad('temperature', 'YMT_ERR_TEMPERATURE_RANGE');

  const symptoms: string[] = [];
  if (!Array.isArray(input.symptoms) || input.symptoms.length > MAX_SYMPTOMS) bad('symptoms');
  else {
    for (const [i, s] of (input.symptoms as unknown[]).entries()) {
      const t = cleanText(s, 50);
      if (t === undefined || t.length === 0) bad(`symptoms[${i}]`);
      else if (!symptoms.includes(t)) symptoms.push(t);
    }
  }

  if (typeof input.contactWithCases !== 'boolean') bad('contactWithCases');

  const recentCities: string[] = [];
  if (!Array.isArray(input.recentCities) || input.recentCities.length > MAX_CITIES) bad('recentCities');
  else {
    for (const [i, c] of (input.recentCities as unknown[]).entries()) {
      if (typeof c !== 'string' || !/^\d{6}$/.test(c)) bad(`recentCities[${i}]`);
      else if (!isCityOrCounty(c)) bad(`recentCities[${i}]`, 'YMT_ERR_REGION_UNKNOWN');
      else if (!recentCities.includes(c)) recentCities.push(c);
    }
  }

  const entry =
    input.entry === undefined || input.entry === null ? undefined : validateEntry(input.entry, today);
  if (entry && !entry.ok) problems.push(...entry.problems);

  if (problems.length > 0 || !phone?.ok) return { ok: false, problems };
  return {
    ok: true,
    value: {
      phone: phone.value,
      householdRegion: householdRegion as string,
      address: address as string,
      underlyingConditions: underlyingConditions as string,
      sex: sex as Sex,
      temperature: Math.round((temperature as number) * 10) / 10,
      symptoms,
      contactWithCases: input.contactWithCases as boolean,
      recentCities,
      ...(entry?.ok ? { entry: entry.value } : {}),
    },
  };
}

/** Identity fields a declaration can never change (Q4). */
export interface IdentityFields {
  readonly name: string;
  readonly documentType: string;
  readonly documentNumber: string;
  readonly phone: string;
}

/**
 * The fields of `offered` that differ from the identity. A field that is absent, or equal after
 * normalisation, is not a change.
 */
export function changedIdentityFields(
  offered: Partial<Record<keyof IdentityFields, unknown>>,
  identity: IdentityFields,
  normaliseName: (s: string) => string,
): string[] {
  const changed: string[] = [];
  if (
    offered.name !== undefined &&
    (typeof offered.name !== 'string' || normaliseName(offered.name) !== identity.name)
  ) {
    changed.push('name');
  }
  if (offered.documentType !== undefined && offered.documentType !== identity.documentType)
    changed.push('documentType');
  if (
    offered.documentNumber !== undefined &&
    (typeof offered.documentNumber !== 'string' ||
      offered.documentNumber.trim().toUpperCase() !== identity.documentNumber)
  ) {
    changed.push('documentNumber');
  }
  if (offered.phone !== undefined) {
    const p = typeof offered.phone === 'string' ? normalisePhone(offered.phone) : undefined;
    if (!p?.ok || p.value !== identity.phone) changed.push('phone');
  }
  return changed;
}
