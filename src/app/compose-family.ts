/** Family members by proxy and the access history (docs/family.md), put together for compose.ts. */
import { AccessHistoryRepository } from '../access/access-history.repository.ts';
import { AccessHistoryService } from '../access/access-history.service.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { DependantsRepository } from '../family/dependants.repository.ts';
import { FamilyService } from '../family/family.service.ts';
import type { IdentityProvider } from '../identity/identity-provider.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';

export function composeFamily(
  config: Config,
  db: Db,
  identities: IdentityProvider,
  persons: PersonsRepository,
  snapshots: StatusSnapshotsRepository,
): { family: FamilyService; accessHistory: AccessHistoryService } {
  const history = new AccessHistoryRepository();
  return {
    family: new FamilyService(db, identities, persons, new DependantsRepository(), history, snapshots, {
      maxDependants: config.maxDependants,
      maxGuardians: config.maxGuardians,
    }),
    accessHistory: new AccessHistoryService(db, history, persons),
  };
}
