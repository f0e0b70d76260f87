/**
 * Where the app runs: the national hub, or a province's node (`GET /healthz` says which, and whose codes it signs;
 * `GET /api/v1/provinces/:code` names the province). Kept on the device, so that the app names its code rightly
 * before the answer arrives, and offline.
 */
import type { ProcessIdentity } from '../../src/http/health.routes.ts';
import type { ProvincialUnit } from '../../src/provinces/province-registry.ts';
import { call } from '../shared/api.ts';

export interface Site {
  readonly role: ProcessIdentity['role'];
  /** `iss` of the codes signed here: the hub's id, or the province's code. */
  readonly issuer: string;
  /** At a node: its province. */
  readonly province?: Pick<ProvincialUnit, 'code' | 'name' | 'nameEn'>;
}

const STORE = 'ymt.site';

/** The site as this device last saw it; null before it ever did. */
export function savedSite(): Site | null {
  try {
    const raw = localStorage.getItem(STORE);
    return raw === null ? null : (JSON.parse(raw) as Site);
  } catch {
    return null;
  }
}

/** Asks this origin which it is (and, at a node, the province's names), and keeps the answer. */
export async function loadSite(): Promise<Site> {
  const me = await call<Pick<ProcessIdentity, 'role' | 'issuer'>>('GET', '/healthz');
  const province =
    me.role === 'province'
      ? await call<ProvincialUnit>('GET', `/api/v1/provinces/${encodeURIComponent(me.issuer)}`)
      : undefined;
  const site: Site = {
    role: me.role,
    issuer: me.issuer,
    ...(province ? { province: { code: province.code, name: province.name, nameEn: province.nameEn } } : {}),
  };
  localStorage.setItem(STORE, JSON.stringify(site));
  return site;
}

/** At a provincial node. */
export function atNode(site: Site | null): boolean {
  return site?.role === 'province';
}
