/**
 * A provincial node signs holders in through the hub's real-name service (the national unified identity
 * authentication, Q3.1): the hub says whether the name matches the document; on a match the node keeps its own
 * record of the person (encrypted with its own keys) and answers with that record's id.
 */
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { DocumentRef } from '../identity/document.domain.ts';
import type { IdentityProvider } from '../identity/identity-provider.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { PeerUnavailableError, type SignedClient } from '../federation/signed-client.ts';
import type { Clock } from '../time/clock.ts';

export class HubIdentityProvider implements IdentityProvider {
  constructor(
    private readonly hub: SignedClient,
    private readonly db: Db,
    private readonly persons: PersonsRepository,
    private readonly clock: Clock,
  ) {}

  async authenticate(doc: DocumentRef, name: string): Promise<string | undefined> {
    let res;
    try {
      res = await this.hub.call('POST', '/api/v1/federation/identities/verify', {
        documentType: doc.type,
        documentNumber: doc.number,
        nationality: doc.nationality,
        name,
      });
    } catch (e) {
      if (e instanceof PeerUnavailableError) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
      throw e;
    }
    if (res.status !== 200) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
    const body = res.body as { match?: unknown; phone?: unknown } | null;
    if (body?.match !== true) return undefined;
    const phone = typeof body.phone === 'string' ? body.phone : undefined;
    const { personId } = await this.persons.upsert(this.db, { doc, name, phone }, this.clock().getTime());
    return personId;
  }
}
