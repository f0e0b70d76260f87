/**
 * The holder's access history (docs/family.md#access-history): who looked at or changed their data, in which
 * role, why and when — names masked, texts in both languages.
 */
import type { Db } from '../db/database.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { maskName } from '../privacy/masking.ts';
import type { Staff } from '../staff/staff.repository.ts';
import { regionName, regionNameEn } from '../regions/regions.ts';
import type { AccessHistoryRepository } from './access-history.repository.ts';
import { ACTOR_KINDS, PURPOSES, type ActorKind, type Purpose } from './purposes.ts';

export interface AccessEntry {
  readonly at: string;
  /**
   * Who: for a proxy, the family member's masked name; for staff, their name and region; for a province, its
   * name; for an operator or a department, their role (a person at the console is not named to the holder).
   */
  readonly actor: string;
  /** The same, the region named in English. */
  readonly actorEn: string;
  readonly role: ActorKind;
  readonly roleText: string;
  readonly roleTextEn: string;
  readonly purpose: Purpose;
  readonly purposeText: string;
  readonly purposeTextEn: string;
}

export const ACCESS_HISTORY_PAGE = 100;

export class AccessHistoryService {
  constructor(
    private readonly db: Db,
    private readonly history: AccessHistoryRepository,
    private readonly persons: PersonsRepository,
    private readonly staff: { get(staffId: string): Promise<Staff | undefined> },
  ) {}

  private async actorName(kind: ActorKind, ref: string): Promise<{ zh: string; en: string }> {
    if (kind === 'registrar' || kind === 'checkpoint') {
      const r = await this.staff.get(ref);
      if (!r) return { zh: '—', en: '—' };
      return {
        zh: `${r.name} · ${regionName(r.region) ?? r.region}`,
        en: `${r.name} · ${regionNameEn(r.region) ?? r.region}`,
      };
    }
    if (kind === 'province') return { zh: regionName(ref) ?? ref, en: regionNameEn(ref) ?? ref };
    if (kind === 'operator' || kind === 'department')
      return { zh: ACTOR_KINDS[kind].text, en: ACTOR_KINDS[kind].textEn };
    const p = await this.persons.get(this.db, ref);
    const masked = p ? maskName(p.name) : '—';
    return { zh: masked, en: masked };
  }

  /** A page of the person's entries, newest first; `next` asks for the page after. */
  async of(personId: string, before?: number): Promise<{ entries: AccessEntry[]; next?: number }> {
    const rows = await this.history.of(this.db, personId, ACCESS_HISTORY_PAGE, before);
    const names = new Map<string, { zh: string; en: string }>();
    const actor = async (kind: ActorKind, ref: string) => {
      let n = names.get(`${kind}:${ref}`);
      if (n === undefined) {
        n = await this.actorName(kind, ref);
        names.set(`${kind}:${ref}`, n);
      }
      return n;
    };
    const entries: AccessEntry[] = [];
    for (const r of rows)
      entries.push({
        at: new Date(r.at).toISOString(),
        ...(await actor(r.actorKind, r.actorRef).then((n) => ({ actor: n.zh, actorEn: n.en }))),
        role: r.actorKind,
        roleText: ACTOR_KINDS[r.actorKind].text,
        roleTextEn: ACTOR_KINDS[r.actorKind].textEn,
        purpose: r.purpose,
        purposeText: PURPOSES[r.purpose].text,
        purposeTextEn: PURPOSES[r.purpose].textEn,
      });
    const last = rows.at(-1);
    return rows.length === ACCESS_HISTORY_PAGE && last ? { entries, next: last.seq } : { entries };
  }
}
