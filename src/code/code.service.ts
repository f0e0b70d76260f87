/**
 * Applying for ("申领") and showing ("立即查看") the national code (Q3.3). Applying has no daily limit. A holder
 * who already applied gets their code again without filling anything in: a still-fresh code with the same
 * colour is shown again, otherwise a new one is signed from the current status.
 */
import { CODE_LIFETIME_SECONDS, signCode, type CodeForm, type Colour } from '../codec/token.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { maskName } from '../privacy/masking.ts';
import { RandomPool } from '../signing/random-pool.ts';
import type { CodeSigning } from '../signing/code-signing.ts';
import type { Snapshot } from '../status/status-snapshots.repository.ts';
import type { Status, StatusService } from '../status/status.service.ts';
import type { StatusReason } from '../status/status.domain.ts';
import type { CodeRow } from '../db/schema.ts';
import type { CodesRepository } from './codes.repository.ts';

/** A code with less than this left is not shown again: the holder gets a fresh one. */
const REUSE_MIN_REMAINING_MS = 120_000;

export const ALREADY_APPLIED_NOTICE = '您已领取，立即查看';
export const ALREADY_APPLIED_NOTICE_EN = 'You have already applied: view your code now';

export interface IssuedCode {
  readonly code: string;
  readonly codeId: string;
  readonly issuer: string;
  readonly colour: Colour;
  readonly maskedName: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly reasons: readonly StatusReason[];
  readonly alreadyApplied: boolean;
}

/** A code needs a declaration, and (on a node) the holder's national status: "unknown" is not taken for green. */
function issuable(status: Pick<Status, 'declared' | 'external'>): void {
  if (!status.declared) throw new AppError('YMT_ERR_DECLARATION_REQUIRED');
  if (!status.external.known) throw new AppError('YMT_ERR_NATIONAL_STATUS_UNKNOWN');
}

function issuedCode(
  row: CodeRow,
  maskedName: string,
  reasons: readonly StatusReason[],
  alreadyApplied: boolean,
): IssuedCode {
  return {
    code: row.token,
    codeId: row.cti,
    issuer: row.issuer,
    colour: row.colour,
    maskedName,
    issuedAt: new Date(row.issued_at),
    expiresAt: new Date(row.expires_at),
    reasons,
    alreadyApplied,
  };
}

export class CodeService {
  private readonly random = new RandomPool();

  constructor(
    private readonly db: Db,
    private readonly codes: CodesRepository,
    private readonly persons: PersonsRepository,
    private readonly status: StatusService,
    /** Which key signs (on a node, only one the hub's published list carries). */
    private readonly signing: CodeSigning,
    private readonly issuer: string,
  ) {}

  /** The holder a code (hex id) was issued to here. */
  holderOf(codeId: string): Promise<string | undefined> {
    return this.codes.holderOf(this.db, codeId);
  }

  /**
   * "Apply": any number of times a day; the same call serves "view now". `snapshot`: the holder's stored status
   * snapshot as read with their session (src/auth/sessions.repository.ts), on the primary as everything here.
   */
  async apply(personId: string, snapshot: Snapshot | undefined, now: Date): Promise<IssuedCode> {
    const read = await this.codes.showing(this.db, personId);
    if (!read) throw new AppError('YMT_ERR_UNAUTHENTICATED');
    const previous = read.latest;
    const status = await this.status.currentGiven(personId, now, snapshot);
    const name = this.persons.nameOfCiphertext(personId, read.nameEnc);
    issuable(status);
    const maskedName = maskName(name);
    const issued = (row: CodeRow) => issuedCode(row, maskedName, status.reasons, previous !== undefined);
    const key = this.signing.signingKey(now);
    if (
      previous &&
      previous.colour === status.colour &&
      // A code withdrawn after a correction (the hub refuses it) is not shown again.
      previous.withdrawn_at === null &&
      // A code signed by a key since rotated (or revoked) is not shown again.
      previous.kid === key.kid &&
      // A paper code a registrar printed (docs/registrars.md) is not a code on screen.
      previous.expires_at - previous.issued_at === CODE_LIFETIME_SECONDS * 1000 &&
      previous.issued_at <= now.getTime() &&
      previous.expires_at - now.getTime() >= REUSE_MIN_REMAINING_MS
    ) {
      return issued(previous);
    }
    return issued(await this.sign(personId, status.colour, maskedName, now, 'screen'));
  }

  /**
   * A paper code (Q9, docs/registrars.md): the person's colour now, valid `lifetimeSeconds`, for a registrar to
   * print. Never shown again as a code on screen.
   */
  async paper(personId: string, now: Date, lifetimeSeconds: number): Promise<IssuedCode> {
    const person = await this.persons.get(this.db, personId);
    if (!person) throw new AppError('YMT_ERR_REGISTRATION_NOT_FOUND');
    const status = await this.status.current(personId, now);
    issuable(status);
    const maskedName = maskName(person.name);
    const row = await this.sign(personId, status.colour, maskedName, now, 'paper', lifetimeSeconds);
    return issuedCode(row, maskedName, status.reasons, false);
  }

  private async sign(
    personId: string,
    colour: Colour,
    maskedName: string,
    now: Date,
    form: CodeForm,
    lifetimeSeconds = CODE_LIFETIME_SECONDS,
  ): Promise<CodeRow> {
    const key = this.signing.signingKey(now);
    const iat = Math.floor(now.getTime() / 1000);
    const cti = this.random.take(16);
    const claims = {
      iss: this.issuer,
      iat,
      exp: iat + lifetimeSeconds,
      cti,
      colour,
      maskedName,
      ...(form === 'paper' ? { form } : {}),
    };
    const token = signCode(claims, key.signer);
    const row: CodeRow = {
      cti: Buffer.from(cti).toString('hex'),
      person_id: personId,
      issuer: this.issuer,
      kid: key.kid,
      colour,
      token,
      issued_at: iat * 1000,
      expires_at: claims.exp * 1000,
      withdrawn_at: null,
    };
    await this.codes.insert(this.db, row);
    return row;
  }
}
