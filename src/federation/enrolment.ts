/** The enrolment file a province hands the hub operator: its code and the public root and access keys. Pure. */
import type { EcPublicJwk } from '../codec/crypto-provider.ts';
import { ProvinceRegistry } from '../provinces/province-registry.ts';
import { hasP256JwkMembers, isRecord, publicKeyOfJwk } from './key-certificate.ts';

/** What a province hands the hub operator to enrol (public keys only): its node writes it at first start. */
export interface Enrolment {
  readonly format: 'yimatong-enrolment/1';
  readonly code: string;
  readonly rootJwk: EcPublicJwk;
  readonly accessJwk: EcPublicJwk;
}

function ecJwk(v: unknown): EcPublicJwk | undefined {
  if (!hasP256JwkMembers(v)) return undefined;
  const jwk: EcPublicJwk = { kty: 'EC', crv: 'P-256', x: v.x, y: v.y };
  try {
    publicKeyOfJwk(jwk);
    return jwk;
  } catch {
    return undefined;
  }
}

export function parseEnrolment(
  doc: unknown,
  corpsCode: string,
): { ok: true; enrolment: Enrolment } | { ok: false; problem: string } {
  if (!isRecord(doc) || doc.format !== 'yimatong-enrolment/1')
    return { ok: false, problem: 'not an enrolment file' };
  if (typeof doc.code !== 'string' || new ProvinceRegistry(corpsCode).get(doc.code) === undefined)
    return { ok: false, problem: 'code is not one of the 32 provincial units' };
  const rootJwk = ecJwk(doc.rootJwk);
  const accessJwk = ecJwk(doc.accessJwk);
  if (!rootJwk || !accessJwk)
    return { ok: false, problem: 'rootJwk and accessJwk must be P-256 public keys' };
  if (rootJwk.x === accessJwk.x && rootJwk.y === accessJwk.y)
    return { ok: false, problem: 'the root and the access key must differ' };
  return { ok: true, enrolment: { format: 'yimatong-enrolment/1', code: doc.code, rootJwk, accessJwk } };
}
