/**
 * A provincial node signs holders in through the hub's real-name service (the national unified identity
 * authentication, Q3.1), in two steps: the hub says whether the name matches the document and, if it does, texts
 * the holder a code; the holder gives the node that code, the hub confirms it — only then is the holder the
 * province's — and answers with who they are and their national status. The node keeps its own record of the
 * person (encrypted with its own keys; no phone: the hub never gives one) and the national status it was sent.
 */
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { ExchangedStatus } from '../exchange/exchange.domain.ts';
import { PeerUnavailableError, type SignedClient, type SignedResponse } from '../federation/signed-client.ts';
import type { DocumentRef } from '../identity/document.domain.ts';
import { isErrorCode } from '../errors/registry.ts';
import type { IdentityProvider, SignInOutcome } from '../identity/identity-provider.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { parseDocument } from '../identity/document.domain.ts';
import type { Clock } from '../time/clock.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import type { NationalStatusService } from './national-status.service.ts';

interface ConfirmAnswer {
  readonly document: { documentType: DocumentRef['type']; documentNumber: string; nationality: string };
  readonly name: string;
  readonly national: { id: number; status: ExchangedStatus; asOf: string };
}

export class HubIdentityProvider implements IdentityProvider {
  constructor(
    private readonly hub: SignedClient,
    private readonly db: Db,
    private readonly persons: PersonsRepository,
    private readonly national: NationalStatusService,
    private readonly clock: Clock,
  ) {}

  /** Calls the hub; a coded refusal of its own is passed on, anything else means it cannot be reached. */
  private async call(path: string, body: unknown): Promise<SignedResponse> {
    let res;
    try {
      res = await this.hub.call('POST', path, body);
    } catch (e) {
      if (e instanceof PeerUnavailableError) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
      throw e;
    }
    if (res.status === 200) return res;
    const code = (res.body as { error?: { code?: string } } | null)?.error?.code;
    if (
      res.status < 500 &&
      code !== undefined &&
      isErrorCode(code) &&
      code !== 'YMT_ERR_PEER_UNAUTHENTICATED'
    )
      throw new AppError(code);
    throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
  }

  async authenticate(doc: DocumentRef, name: string): Promise<SignInOutcome | undefined> {
    const res = await this.call('/api/v1/federation/identities/verify', {
      documentType: doc.type,
      documentNumber: doc.number,
      nationality: doc.nationality,
      name,
    });
    const body = res.body as {
      match?: unknown;
      challenge?: { id: string; sentTo: string; expiresAt: string };
    };
    if (body.match !== true || body.challenge === undefined) return undefined;
    return {
      confirm: {
        challengeId: body.challenge.id,
        sentTo: body.challenge.sentTo,
        expiresAt: Date.parse(body.challenge.expiresAt),
      },
    };
  }

  async confirm(challengeId: string, code: string): Promise<string> {
    const now = this.clock();
    const res = await this.call('/api/v1/federation/identities/confirm', { challengeId, code });
    const answer = res.body as ConfirmAnswer;
    const doc = parseDocument(
      answer.document.documentType,
      answer.document.documentNumber,
      answer.document.nationality,
      shanghaiDate(now),
    );
    if (!doc.ok) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
    const { personId } = await this.persons.upsert(
      this.db,
      { doc: doc.value, name: answer.name },
      now.getTime(),
    );
    await this.national.store(
      personId,
      { id: answer.national.id, status: answer.national.status, asOf: Date.parse(answer.national.asOf) },
      now,
    );
    return personId;
  }
}
