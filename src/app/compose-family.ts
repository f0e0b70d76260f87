/**
 * People reached through someone else, put together for compose.ts: family members by proxy (docs/family.md),
 * registrars recording for people without a phone (docs/registrars.md), checkpoint staff looking a person up by
 * document (docs/checkpoint-lookups.md), the access history that shows the person who acted for them, and the
 * audit log every such access and every administrative act is chained into (docs/security.md#audit-log).
 */
import { AccessHistoryRepository } from '../access/access-history.repository.ts';
import { AccessHistoryService } from '../access/access-history.service.ts';
import { AuditLogRepository } from '../audit/audit-log.repository.ts';
import { AuditService, type AnchorKey } from '../audit/audit.service.ts';
import { CodesRepository } from '../code/codes.repository.ts';
import type { CodeService } from '../code/code.service.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import type { DeclarationService } from '../declaration/declaration.service.ts';
import { DependantsRepository } from '../family/dependants.repository.ts';
import { FamilyService } from '../family/family.service.ts';
import type { IdentityProvider } from '../identity/identity-provider.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { LookupsRepository } from '../lookups/lookups.repository.ts';
import { LookupsService } from '../lookups/lookups.service.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import { RegistrationsRepository } from '../registrars/registrations.repository.ts';
import { RegistrationsService } from '../registrars/registrations.service.ts';
import { StaffRepository } from '../staff/staff.repository.ts';
import { StaffService } from '../staff/staff.service.ts';
import type { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import type { StatusService } from '../status/status.service.ts';

/** Who looked at a person's data: each entry also chained into the audit log, in the same transaction. */
export function accessHistoryRepository(): AccessHistoryRepository {
  return new AccessHistoryRepository(new AuditLogRepository());
}

export function composeFamily(
  config: Config,
  db: Db,
  parts: {
    readonly identities: IdentityProvider;
    readonly persons: PersonsRepository;
    readonly snapshots: StatusSnapshotsRepository;
    readonly cipher: FieldCipher;
    readonly declarations: DeclarationService;
    readonly codes: CodeService;
    readonly status: StatusService;
    readonly keys: { current(at: number): { readonly anchor: AnchorKey } };
    readonly issuer: string;
    readonly history: AccessHistoryRepository;
  },
): {
  audit: AuditService;
  family: FamilyService;
  accessHistory: AccessHistoryService;
  staff: StaffService;
  registrations: RegistrationsService;
  lookups: LookupsService;
} {
  const { identities, persons, snapshots } = parts;
  const { history } = parts;
  const staff = new StaffService(db, new StaffRepository());
  return {
    audit: new AuditService(
      db,
      new AuditLogRepository(),
      (now) => parts.keys.current(now.getTime()).anchor,
      parts.issuer,
    ),
    family: new FamilyService(db, identities, persons, new DependantsRepository(), history, snapshots, {
      maxDependants: config.maxDependants,
      maxGuardians: config.maxGuardians,
    }),
    accessHistory: new AccessHistoryService(db, history, persons, staff),
    staff,
    registrations: new RegistrationsService(
      db,
      new RegistrationsRepository(parts.cipher),
      identities,
      persons,
      parts.declarations,
      parts.codes,
      new CodesRepository(),
      history,
      config.paperCodeHours,
    ),
    lookups: new LookupsService(db, new LookupsRepository(), identities, parts.status, history),
  };
}
