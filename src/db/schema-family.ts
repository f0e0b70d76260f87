import type { Generated } from 'kysely';

/**
 * Table types of family members by proxy and the access history (migration 0013, see schema.ts for the
 * conventions; docs/family.md).
 */

/** A holder (the guardian) acting for another person (the dependant). */
export interface DependantsTable {
  id: string;
  guardian_id: string;
  person_id: string;
  /** What the dependant is to the guardian (src/family/family.domain.ts RELATIONSHIPS). */
  relationship: string;
  /** `guardian`: a minor's guardian consented; `attested`: the holder attested an adult dependant's agreement. */
  consent: 'guardian' | 'attested';
  created_at: number;
  ended_at: number | null;
  /** `guardian` or `dependant`: who ended the link. */
  ended_by: 'guardian' | 'dependant' | null;
}

/** A look-up of a person's data by someone else (src/access/access-history.repository.ts). */
export interface AccessEventsTable {
  id: Generated<number>;
  person_id: string;
  at: number;
  /** `proxy`: a guardian acting for a dependant (actor_ref: the guardian's person id). */
  actor_kind: string;
  actor_ref: string;
  /** src/access/purposes.ts */
  purpose: string;
}
