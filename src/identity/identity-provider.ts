/**
 * Real-name authentication (统一身份认证) behind a narrow interface. The embedded default checks the pair
 * against the hub's own registry (the `persons` table, filled by the demo population and by
 * `yimatong identities import`). docs/identity-provider.md explains how to plug in the national service.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { DocumentRef } from './document.domain.ts';
import type { PersonsRepository } from './persons.repository.ts';

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

export class RegistryIdentityProvider implements IdentityProvider {
  constructor(
    private readonly db: Db,
    private readonly persons: PersonsRepository,
  ) {}

  async authenticate(doc: DocumentRef, name: string): Promise<SignInOutcome | undefined> {
    const found = await this.persons.findByDocument(this.db, doc);
    const offered = Buffer.from(this.persons.nameHash(name));
    // Compare even when the document is unknown, so timing does not tell which part was wrong.
    const expected = Buffer.from(found?.nameHash ?? this.persons.nameHash('\u0000'));
    const same = offered.length === expected.length && timingSafeEqual(offered, expected);
    return found && same ? { personId: found.personId } : undefined;
  }
}
