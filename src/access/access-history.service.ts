/**
 * The holder's access history (docs/family.md#access-history): who looked at or changed their data, in which
 * role, why and when — names masked, texts in both languages.
 */
import type { Db } from '../db/database.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { maskName } from '../privacy/masking.ts';
import type { AccessHistoryRepository } from './access-history.repository.ts';
import { ACTOR_KINDS, PURPOSES, type ActorKind, type Purpose } from './purposes.ts';

export interface AccessEntry {
  readonly at: string;
  /** Who: for a proxy, the family member's masked name. */
  readonly actor: string;
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
  ) {}

  /** A page of the person's entries, newest first; `next` asks for the page after. */
  async of(personId: string, before?: number): Promise<{ entries: AccessEntry[]; next?: number }> {
    const rows = await this.history.of(this.db, personId, ACCESS_HISTORY_PAGE, before);
    const names = new Map<string, string>();
    const actor = async (ref: string) => {
      let n = names.get(ref);
      if (n === undefined) {
        const p = await this.persons.get(this.db, ref);
        n = p ? maskName(p.name) : '—';
        names.set(ref, n);
      }
      return n;
    };
    const entries: AccessEntry[] = [];
    for (const r of rows)
      entries.push({
        at: new Date(r.at).toISOString(),
        actor: await actor(r.actorRef),
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
