/**
 * Family members by proxy (代办, Q9; docs/family.md): a holder adds the people they act for after the same
 * real-name check as a sign-in, within configured limits; acts for them (every request recorded in the
 * dependant's access history); and either side ends the link — the holder at any time, an adult dependant at any
 * time, a minor once of age.
 */
import { randomUUID } from 'node:crypto';
import type { AccessHistoryRepository } from '../access/access-history.repository.ts';
import type { Purpose } from '../access/purposes.ts';
import { inTransaction, isUniqueViolation, type Db } from '../db/database.ts';
import { AppError, fieldProblem } from '../errors/app-error.ts';
import type { DocumentType } from '../identity/document.domain.ts';
import type { IdentityProvider } from '../identity/identity-provider.ts';
import type { Person, PersonsRepository } from '../identity/persons.repository.ts';
import { realNameOrThrow } from '../identity/real-name.ts';
import { maskName } from '../privacy/masking.ts';
import type { Snapshot, StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import type { DependantLink, DependantsRepository } from './dependants.repository.ts';
import { decideProxy, mayDependantEnd, type Consent, type Relationship } from './family.domain.ts';

export interface AddDependantRequest {
  readonly documentType: DocumentType;
  readonly documentNumber: string;
  readonly name: string;
  readonly nationality?: string | undefined;
  readonly mrz?: string | undefined;
  readonly relationship: Relationship;
}

export interface FamilyLimits {
  /** Live dependants one holder may have. */
  readonly maxDependants: number;
  /** Live proxies one person may have. */
  readonly maxGuardians: number;
}

export interface LinkView {
  readonly id: string;
  /** The other person's name, masked. */
  readonly maskedName: string;
  /** The other person's document type (a passport holder's declaration asks their sex). */
  readonly documentType: DocumentType;
  readonly relationship: Relationship;
  readonly consent: Consent;
  readonly since: string;
}

/** Who a proxied request is about: the dependant, with their stored status snapshot. */
export interface ProxySubject {
  readonly personId: string;
  readonly snapshot: Snapshot | undefined;
}

export class FamilyService {
  constructor(
    private readonly db: Db,
    private readonly identities: IdentityProvider,
    private readonly persons: PersonsRepository,
    private readonly links: DependantsRepository,
    private readonly history: AccessHistoryRepository,
    private readonly snapshots: StatusSnapshotsRepository,
    private readonly limits: FamilyLimits,
  ) {}

  private async person(personId: string): Promise<Person> {
    const p = await this.persons.get(this.db, personId);
    if (!p) throw new AppError('YMT_ERR_UNAUTHENTICATED');
    return p;
  }

  private static document(p: Person) {
    return { type: p.documentType, number: p.documentNumber };
  }

  /** Adds a dependant after their real-name check; `YMT_ERR_DEPENDANT_REAL_NAME` says no more than a sign-in would. */
  async add(guardianId: string, req: AddDependantRequest, now: Date): Promise<LinkView> {
    const { doc, name } = realNameOrThrow(req, now);
    const found = await this.identities.authenticate(doc, name);
    if (found === undefined || !('personId' in found)) throw new AppError('YMT_ERR_DEPENDANT_REAL_NAME');
    const personId = found.personId;
    if (personId === guardianId)
      throw new AppError('YMT_ERR_DEPENDANT_SELF', [
        fieldProblem('documentNumber', 'YMT_ERR_DEPENDANT_SELF'),
      ]);
    const holder = await this.person(guardianId);
    const decided = decideProxy(
      FamilyService.document(holder),
      { type: doc.type, number: doc.number },
      req.relationship,
      shanghaiDate(now),
    );
    if (!decided.ok) throw new AppError(decided.code, [fieldProblem('relationship', decided.code)]);
    const link: DependantLink = {
      id: randomUUID(),
      guardianId,
      personId,
      relationship: req.relationship,
      consent: decided.consent,
      createdAt: now.getTime(),
    };
    try {
      await inTransaction(this.db, async (trx) => {
        await this.links.lockPeople(trx, [guardianId, personId]);
        const mine = await this.links.ofGuardian(trx, guardianId);
        if (mine.some((l) => l.personId === personId)) throw new AppError('YMT_ERR_DEPENDANT_EXISTS');
        if (mine.length >= this.limits.maxDependants) throw new AppError('YMT_ERR_DEPENDANT_LIMIT');
        const theirs = await this.links.ofDependant(trx, personId);
        if (theirs.length >= this.limits.maxGuardians) throw new AppError('YMT_ERR_GUARDIAN_LIMIT');
        await this.links.insert(trx, link);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('YMT_ERR_DEPENDANT_EXISTS');
      throw e;
    }
    return this.view(link, { name, documentType: doc.type });
  }

  /** The holder's dependants, oldest first. */
  async dependants(guardianId: string): Promise<LinkView[]> {
    const links = await this.links.ofGuardian(this.db, guardianId);
    return Promise.all(links.map(async (l) => this.view(l, await this.person(l.personId))));
  }

  /** Who acts for the person, and whether they may end each link today. */
  async guardians(personId: string, now: Date): Promise<(LinkView & { canEnd: boolean })[]> {
    const me = await this.person(personId);
    const today = shanghaiDate(now);
    const links = await this.links.ofDependant(this.db, personId);
    return Promise.all(
      links.map(async (l) => ({
        ...this.view(l, await this.person(l.guardianId)),
        canEnd: mayDependantEnd(l.consent, FamilyService.document(me), today),
      })),
    );
  }

  /** The holder stops acting for a dependant. */
  async remove(guardianId: string, id: string, now: Date): Promise<void> {
    if (!(await this.links.end(this.db, id, { guardianId }, now.getTime())))
      throw new AppError('YMT_ERR_DEPENDANT_NOT_FOUND');
  }

  /** The dependant ends a proxy: an adult at any time, a minor under a guardian's consent once of age. */
  async endByDependant(personId: string, id: string, now: Date): Promise<void> {
    const link = await this.links.live(this.db, id, { personId });
    if (!link) throw new AppError('YMT_ERR_DEPENDANT_NOT_FOUND');
    const me = await this.person(personId);
    if (!mayDependantEnd(link.consent, FamilyService.document(me), shanghaiDate(now)))
      throw new AppError('YMT_ERR_PROXY_GUARDIAN_CONSENT');
    if (!(await this.links.end(this.db, id, { personId }, now.getTime())))
      throw new AppError('YMT_ERR_DEPENDANT_NOT_FOUND');
  }

  /**
   * The holder acts for a dependant: the live link is checked and the request recorded in the dependant's access
   * history before it is answered (a refused request is recorded too: the dependant sees every attempt).
   */
  async actFor(guardianId: string, id: string, purpose: Purpose, now: Date): Promise<ProxySubject> {
    const link = await this.links.live(this.db, id, { guardianId });
    if (!link) throw new AppError('YMT_ERR_DEPENDANT_NOT_FOUND');
    await this.history.record(this.db, {
      personId: link.personId,
      at: now.getTime(),
      actorKind: 'proxy',
      actorRef: guardianId,
      purpose,
    });
    return { personId: link.personId, snapshot: await this.snapshots.get(this.db, link.personId) };
  }

  private view(l: DependantLink, other: Pick<Person, 'name' | 'documentType'>): LinkView {
    return {
      id: l.id,
      maskedName: maskName(other.name),
      // Both sides of a link passed a real-name check by document: neither is a person recorded without one.
      documentType: other.documentType === 'passport' ? 'passport' : 'id_card',
      relationship: l.relationship,
      consent: l.consent,
      since: new Date(l.createdAt).toISOString(),
    };
  }
}
