/**
 * Real-name authentication (统一身份认证) behind a narrow interface. The embedded default checks the pair
 * against the hub's own registry (the `persons` table, filled by the demo population and by
 * `yimatong identities import`). docs/identity-provider.md explains how to plug in the national service.
 */
import type { Db } from '../db/database.ts';
import type { DocumentRef } from './document.domain.ts';
import type { PersonsRepository } from './persons.repository.ts';
import { shiftDate } from '../time/calendar.ts';
import { shanghaiDate } from '../time/shanghai.ts';

/** A sign-in that waits for the code a text message brought the holder (at a provincial node). */
export interface PendingConfirmation {
  readonly challengeId: string;
  /** The phone the code went to, masked. */
  readonly sentTo: string;
  readonly expiresAt: number;
}

/** A real-name check's outcome: the person, or (at a provincial node) a confirmation to wait for. */
export type SignInOutcome = { readonly personId: string } | { readonly confirm: PendingConfirmation };

export interface IdentityProvider {
  /**
   * Checks that `name` (normalised) is the holder of `doc`. Returns the person on success and undefined
   * otherwise — without saying whether the document or the name was wrong.
   */
  authenticate(doc: DocumentRef, name: string): Promise<SignInOutcome | undefined>;
  /** Completes a pending sign-in with the holder's code: the person's id (providers that ask for one). */
  confirm?(challengeId: string, code: string): Promise<string>;
}

/**
 * A foreign passport holder whose arrival the immigration feed recorded, naming them, within this many days signs
 * in without being in the registry first (docs/identity-provider.md#foreign-passport-holders).
 */
export const IMMIGRATION_IDENTITY_DAYS = 90;

/** Whether an immigration record dated `sinceDate` to `untilDate` names this document hash with this name hash. */
export type ArrivalCheck = (
  documentHash: string,
  nameHash: string,
  sinceDate: string,
  untilDate: string,
) => Promise<boolean>;

export class RegistryIdentityProvider implements IdentityProvider {
  constructor(
    private readonly db: Db,
    private readonly persons: PersonsRepository,
    private readonly clock: () => Date = () => new Date(),
    /** The immigration records (src/evidence); without it, only the registry answers. */
    private readonly arrivals?: ArrivalCheck,
  ) {}

  /**
   * A foreign passport and a name that an immigration record of the last IMMIGRATION_IDENTITY_DAYS names together
   * (not withdrawn by a correction): the immigration service saw that passport with that name at the border.
   */
  private async arrived(doc: DocumentRef, name: string): Promise<boolean> {
    if (this.arrivals === undefined || doc.type !== 'passport' || doc.nationality === 'CHN') return false;
    const today = shanghaiDate(this.clock());
    const since = shiftDate(today, -IMMIGRATION_IDENTITY_DAYS);
    // A flight landing tomorrow (Beijing time) may be recorded today.
    return this.arrivals(
      this.persons.documentHash(doc),
      this.persons.nameHash(name),
      since,
      shiftDate(today, 1),
    );
  }

  async authenticate(doc: DocumentRef, name: string): Promise<SignInOutcome | undefined> {
    const found = await this.persons.findByDocument(this.db, doc);
    // Compared even when the document is unknown, so timing does not tell which part was wrong.
    const same = this.persons.nameMatches(found, name);
    if (found && same) return { personId: found.personId };
    // Not in the registry: a foreign passport holder the immigration feed recorded may sign in with that record.
    if (found === undefined && (await this.arrived(doc, name))) {
      const { personId } = await this.persons.upsert(this.db, { doc, name }, this.clock().getTime());
      return { personId };
    }
    return undefined;
  }
}
