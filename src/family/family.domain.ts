/**
 * Family members by proxy (代办, Q9): who may act for whom, and on whose consent. Pure; "today" is a parameter
 * (an Asia/Shanghai date, YYYY-MM-DD). docs/family.md explains the decisions.
 */
import type { ErrorCode } from '../errors/registry.ts';
import { parseIdCardNumber } from '../identity/id-card.domain.ts';

/** What the dependant is to the holder. */
export const RELATIONSHIPS = [
  'parent',
  'grandparent',
  'spouse',
  'child',
  'grandchild',
  'sibling',
  'ward',
  'other',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** Relationships in which the holder can be a minor's guardian (a parent, grandparent or appointed guardian). */
export const GUARDIAN_RELATIONSHIPS: readonly Relationship[] = ['child', 'grandchild', 'ward'];

/** `guardian`: a minor's guardian consents for them; `attested`: the holder attests an adult's agreement. */
export type Consent = 'guardian' | 'attested';

export const ADULT_AGE = 18;

/** The person's age in whole years on `today`, where their document tells the birth date (an ID card). */
export function ageOn(document: { type: string; number: string }, today: string): number | undefined {
  if (document.type !== 'id_card') return undefined;
  const parsed = parseIdCardNumber(document.number, '9999-12-31');
  if (!parsed.ok) return undefined;
  const birth = parsed.value.birthDate;
  const years = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  return today.slice(5) < birth.slice(5) ? years - 1 : years;
}

const isMinor = (age: number | undefined) => age !== undefined && age < ADULT_AGE;

export type ProxyDecision = { ok: true; consent: Consent } | { ok: false; code: ErrorCode };

/**
 * Whether `holder` may act for `dependant` with this relationship, and on whose consent. A minor (known from an ID
 * card) is never a proxy, and has one only in a guardian's relationship; an adult's link rests on the holder's
 * attestation that the adult agreed, and the adult can end it at any time. Where the document tells no age (a
 * passport), a guardian's relationship is recorded as a guardian's consent; nothing shows the dependant a minor,
 * so they can still end it themselves (mayDependantEnd).
 */
export function decideProxy(
  holder: { type: string; number: string },
  dependant: { type: string; number: string },
  relationship: Relationship,
  today: string,
): ProxyDecision {
  if (isMinor(ageOn(holder, today))) return { ok: false, code: 'YMT_ERR_PROXY_HOLDER_MINOR' };
  const age = ageOn(dependant, today);
  const guardianRelation = GUARDIAN_RELATIONSHIPS.includes(relationship);
  if (isMinor(age))
    return guardianRelation
      ? { ok: true, consent: 'guardian' }
      : { ok: false, code: 'YMT_ERR_DEPENDANT_RELATIONSHIP' };
  return { ok: true, consent: age === undefined && guardianRelation ? 'guardian' : 'attested' };
}

/**
 * Whether the dependant may end the link themselves today: always when it rests on their own agreement, and for a
 * guardian's link once their document shows them adult. A guardian's link whose dependant has no birth date on
 * record (a passport) is theirs to end too: nothing shows them a minor, so their say prevails.
 */
export function mayDependantEnd(
  consent: Consent,
  dependant: { type: string; number: string },
  today: string,
): boolean {
  return consent === 'attested' || !isMinor(ageOn(dependant, today));
}
