/** Test identities with valid GB 11643 numbers, and helpers to sign them in through the real API. */
import type { FastifyInstance } from 'fastify';
import { idCardCheckChar } from '../../src/identity/id-card.domain.ts';
import { parseDocument } from '../../src/identity/document.domain.ts';
import type { Parts } from '../../src/app/compose.ts';

export function idNumber(first17: string): string {
  return first17 + idCardCheckChar(first17);
}

/** A test person holding a PRC ID card (the 18th character computed). */
export function person(name: string, first17: string, phone: string): typeof ALICE {
  return { documentType: 'id_card', documentNumber: idNumber(first17), name, phone };
}

/** A person's document as a feed record names it. */
export function doc(p: typeof ALICE): { documentType: 'id_card'; documentNumber: string } {
  return { documentType: p.documentType, documentNumber: p.documentNumber };
}

export const ALICE = {
  documentType: 'id_card' as const,
  documentNumber: idNumber('44030519900101123'),
  name: '张小三',
  phone: '13912345678',
};
export const BOB = {
  documentType: 'id_card' as const,
  documentNumber: idNumber('11010819850607456'),
  name: '李四',
  phone: '13712345678',
};

export const HEALTHY_DECLARATION = {
  householdRegion: '440305',
  address: '深圳市南山区科技园南区1号',
  temperature: 36.6,
  symptoms: [] as string[],
  contactWithCases: false,
  recentCities: ['440300'],
  underlyingConditions: '',
};

export async function register(parts: Parts, person: typeof ALICE): Promise<string> {
  const doc = parseDocument(person.documentType, person.documentNumber, 'CHN', '2026-11-27');
  if (!doc.ok) throw new Error(`bad test person: ${doc.code}`);
  const { personId } = await parts.repositories.persons.upsert(
    parts.db,
    { doc: doc.value, name: person.name, phone: person.phone },
    Date.now(),
  );
  return personId;
}

export async function signIn(app: FastifyInstance, person: typeof ALICE): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/real-name',
    payload: { documentType: person.documentType, documentNumber: person.documentNumber, name: person.name },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  return res.json<{ token: string }>().token;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Registers a person, signs them in and stores their declaration; returns the session token. */
export async function declaredHolder(
  hub: { parts: Parts; app: FastifyInstance },
  person: typeof ALICE,
  declaration: object = HEALTHY_DECLARATION,
): Promise<string> {
  await register(hub.parts, person);
  const token = await signIn(hub.app, person);
  const res = await hub.app.inject({
    method: 'POST',
    url: '/api/v1/me/declaration',
    headers: bearer(token),
    payload: declaration,
  });
  if (res.statusCode >= 300) throw new Error(`declaration failed: ${res.body}`);
  return token;
}

/** Records a confirmed case for the person in the status table, in force for 14 days from the hub's clock. */
export function confirmedCase(hub: { parts: Parts; clock: { now(): Date } }, person: typeof ALICE) {
  const now = hub.clock.now();
  return hub.parts.services.statusEntries.add(
    { role: 'operator', name: '测试运营' },
    {
      documentType: 'id_card',
      documentNumber: person.documentNumber,
      kind: 'CASE_CONFIRMED',
      until: new Date(now.getTime() + 14 * 86400_000).toISOString(),
      reason: '卫生健康部门通报',
    },
    now,
  );
}
