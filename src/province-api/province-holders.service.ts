/**
 * What a province's node asks the hub about holders: the real-name check when a holder signs in at the node (from
 * then on the holder is that province's, and it may push their status), and a holder's national status for the
 * province's checkpoint, with the holder's consent token.
 */
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { IdentityProvider } from '../identity/identity-provider.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { realNameOrThrow, type DocumentFieldsInput } from '../identity/real-name.ts';
import type { HolderSummary } from '../status/holder-summary.ts';
import type { StatusService } from '../status/status.service.ts';
import type { ConsentsRepository } from './consents.repository.ts';
import type { HoldersRepository } from './holders.repository.ts';

export class ProvinceHoldersService {
  constructor(
    private readonly db: Db,
    private readonly identities: IdentityProvider,
    private readonly persons: PersonsRepository,
    private readonly holders: HoldersRepository,
    private readonly consents: ConsentsRepository,
    private readonly status: StatusService,
  ) {}

  /** Whether the name is the document's holder; on a match, the real-name record's phone (the declaration's). */
  async verifyIdentity(
    province: string,
    request: DocumentFieldsInput & { readonly name: string },
    now: Date,
  ): Promise<{ match: boolean; phone?: string }> {
    const { doc, name } = realNameOrThrow(request, now);
    const personId = await this.identities.authenticate(doc, name);
    if (personId === undefined) return { match: false };
    // From now on this holder is the province's: it may push their status.
    await this.holders.recordHolder(this.db, province, this.persons.documentHash(doc), now.getTime());
    const phone = (await this.persons.get(this.db, personId))?.phone;
    return { match: true, ...(phone === undefined ? {} : { phone }) };
  }

  async nationalStatus(province: string, consentToken: string, now: Date): Promise<HolderSummary> {
    const personId = await this.consents.personOf(this.db, consentToken, province, now.getTime());
    if (personId === undefined) throw new AppError('YMT_ERR_CONSENT_INVALID');
    return this.status.summary(personId, now);
  }
}
