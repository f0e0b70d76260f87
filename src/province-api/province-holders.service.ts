/**
 * What a province's node asks the hub about holders (docs/federation.md#who-a-province-speaks-for):
 *
 * - the real-name check when a holder signs in at the node: match or no match, nothing more (never a phone); on a
 *   match the hub sends the holder a code by text message, to the phone of their real-name record;
 * - the confirmation, with that code: only then does the hub record the holder as the province's (its deltas for
 *   them count, and their national status goes to its node), and it answers with their national status at once.
 *   A province alone cannot make the hub take a stranger for its own: it would need the holder's phone;
 * - a holder's national status for the province's checkpoint, with the holder's consent token.
 */
import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { inTransaction, type Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { ExchangedStatus } from '../exchange/exchange.domain.ts';
import type { StatusExchangeService } from '../exchange/status-exchange.service.ts';
import type { DocumentRef } from '../identity/document.domain.ts';
import type { IdentityProvider } from '../identity/identity-provider.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { realNameOrThrow, type DocumentFieldsInput } from '../identity/real-name.ts';
import { maskPhone } from '../privacy/masking.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { SmsGateway } from '../sms/sms-gateway.ts';
import type { HolderSummary } from '../status/holder-summary.ts';
import type { StatusService } from '../status/status.service.ts';
import type { ConsentsRepository } from './consents.repository.ts';
import type { AccessHistoryRepository } from '../access/access-history.repository.ts';
import type { Purpose } from '../access/purposes.ts';
import type { HoldersRepository } from './holders.repository.ts';
import type { SignInChallengesRepository } from './sign-in-challenges.repository.ts';

/** How long a confirmation code is valid, how many tries it allows, and how many a holder may be sent an hour. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
export const CHALLENGE_ATTEMPTS = 5;
export const CHALLENGES_PER_HOUR = 5;

export interface ConfirmedSignIn {
  readonly document: { documentType: DocumentRef['type']; documentNumber: string; nationality: string };
  readonly name: string;
  /** The holder's national status for this province now, with the exchange's id for it (0: nothing sent yet). */
  readonly national: { readonly id: number; readonly status: ExchangedStatus; readonly asOf: number };
}

export class ProvinceHoldersService {
  constructor(
    private readonly db: Db,
    private readonly identities: IdentityProvider,
    private readonly persons: PersonsRepository,
    private readonly holders: HoldersRepository,
    private readonly consents: ConsentsRepository,
    private readonly status: StatusService,
    private readonly challenges: SignInChallengesRepository,
    private readonly sms: SmsGateway,
    private readonly cipher: FieldCipher,
    private readonly registry: ProvinceRegistry,
    private readonly exchange: StatusExchangeService,
    private readonly history: AccessHistoryRepository,
  ) {}

  private seen(db: Db, personId: string, province: string, purpose: Purpose, now: Date): Promise<void> {
    return this.history.record(db, {
      personId,
      at: now.getTime(),
      actorKind: 'province',
      actorRef: province,
      purpose,
    });
  }

  private codeHash(challengeId: string, code: string): string {
    return this.cipher.index('sign-in-code', `${challengeId}:${code}`);
  }

  /**
   * Whether the name is the document's holder. On a match, a code goes to the phone of the real-name record and
   * the answer names the challenge and the phone, masked; a record without a phone cannot confirm.
   */
  async verifyIdentity(
    province: string,
    request: DocumentFieldsInput & { readonly name: string },
    now: Date,
  ): Promise<{ match: boolean; challenge?: { id: string; sentTo: string; expiresAt: number } }> {
    const { doc, name } = realNameOrThrow(request, now);
    const outcome = await this.identities.authenticate(doc, name);
    if (outcome === undefined || !('personId' in outcome)) return { match: false };
    const person = await this.persons.get(this.db, outcome.personId);
    if (person?.phone === undefined) throw new AppError('YMT_ERR_CONFIRMATION_UNAVAILABLE');
    const docHash = this.persons.documentHash(doc);
    if ((await this.challenges.sentSince(this.db, docHash, now.getTime() - 3600_000)) >= CHALLENGES_PER_HOUR)
      throw new AppError('YMT_ERR_TOO_MANY_CHALLENGES');
    const challengeId = randomUUID();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = now.getTime() + CHALLENGE_TTL_MS;
    await inTransaction(this.db, async (trx) => {
      await this.challenges.create(trx, {
        challengeId,
        province,
        docHash,
        codeHash: this.codeHash(challengeId, code),
        createdAt: now.getTime(),
        expiresAt,
      });
      await this.seen(trx, outcome.personId, province, 'identity.verify', now);
    });
    const place = this.registry.get(province)?.name ?? province;
    await this.sms.send(
      person.phone,
      `【一码通】您正在${place}健康码登录，验证码 ${code}，5 分钟内有效。如非本人操作，请勿告知他人。`,
      now,
    );
    return { match: true, challenge: { id: challengeId, sentTo: maskPhone(person.phone), expiresAt } };
  }

  /**
   * The holder's code, passed on by the node: on success the holder is the province's from now on, and the answer
   * carries who they are and their national status for the node.
   */
  async confirmSignIn(
    province: string,
    challengeId: string,
    code: string,
    now: Date,
  ): Promise<ConfirmedSignIn> {
    const c = await this.challenges.get(this.db, challengeId);
    if (!c || c.province !== province) throw new AppError('YMT_ERR_CONFIRMATION_EXPIRED');
    if (c.confirmedAt !== null || c.expiresAt <= now.getTime() || c.attempts >= CHALLENGE_ATTEMPTS)
      throw new AppError('YMT_ERR_CONFIRMATION_EXPIRED');
    const offered = Buffer.from(this.codeHash(challengeId, code.trim()));
    const expected = Buffer.from(c.codeHash);
    if (offered.length !== expected.length || !timingSafeEqual(offered, expected)) {
      await this.challenges.countAttempt(this.db, challengeId);
      throw new AppError('YMT_ERR_CONFIRMATION_FAILED');
    }
    const personId = await inTransaction(this.db, async (trx) => {
      if (!(await this.challenges.confirm(trx, challengeId, now.getTime())))
        throw new AppError('YMT_ERR_CONFIRMATION_EXPIRED');
      await this.holders.recordHolder(trx, province, c.docHash, now.getTime());
      const id = await this.persons.personIdByHash(trx, c.docHash);
      if (id !== undefined) await this.seen(trx, id, province, 'signin.confirm', now);
      return id;
    });
    const person = personId === undefined ? undefined : await this.persons.get(this.db, personId);
    // A person a registrar recorded without a document has no document hash a province could have confirmed.
    if (!person || personId === undefined || person.documentType === 'registered')
      throw new AppError('YMT_ERR_CONFIRMATION_EXPIRED');
    const latest = await this.exchange.latest(personId, province, now);
    return {
      document: {
        documentType: person.documentType,
        documentNumber: person.documentNumber,
        nationality: person.nationality,
      },
      name: person.name,
      national: { id: latest.id, status: latest.status, asOf: now.getTime() },
    };
  }

  async nationalStatus(province: string, consentToken: string, now: Date): Promise<HolderSummary> {
    const personId = await this.consents.personOf(this.db, consentToken, province, now.getTime());
    if (personId === undefined) throw new AppError('YMT_ERR_CONSENT_INVALID');
    await this.seen(this.db, personId, province, 'status.consent', now);
    return this.status.summary(personId, now);
  }
}
