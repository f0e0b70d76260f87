/** Real-name sign-in and session checks. */
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { DocumentType } from '../identity/document.domain.ts';
import type { IdentityProvider, PendingConfirmation } from '../identity/identity-provider.ts';
import { realNameOrThrow } from '../identity/real-name.ts';
import type { Snapshot } from '../status/status-snapshots.repository.ts';
import type { SessionsRepository } from './sessions.repository.ts';

export interface RealNameRequest {
  readonly documentType: DocumentType;
  readonly documentNumber: string;
  readonly name: string;
  readonly nationality?: string | undefined;
  readonly mrz?: string | undefined;
}

/** Who a holder's request comes from, and their status snapshot as stored when the session was read. */
export interface Holder {
  readonly personId: string;
  readonly snapshot: Snapshot | undefined;
}

export interface Session {
  readonly token: string;
  readonly expiresAt: number;
}

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly identities: IdentityProvider,
    private readonly sessions: SessionsRepository,
    private readonly sessionTtlSeconds: number,
  ) {}

  /**
   * A session for the holder of the document, or — at a provincial node — the confirmation to wait for: the hub
   * texted the holder a code (confirm below).
   */
  async signIn(req: RealNameRequest, now: Date): Promise<Session | { confirm: PendingConfirmation }> {
    const { doc, name } = realNameOrThrow(req, now);
    const outcome = await this.identities.authenticate(doc, name);
    if (outcome === undefined) throw new AppError('YMT_ERR_REAL_NAME_FAILED');
    if ('confirm' in outcome) return outcome;
    return this.sessions.create(this.db, outcome.personId, now.getTime(), this.sessionTtlSeconds);
  }

  /** Completes a sign-in with the code the holder received; a provider that asks for none has nothing to confirm. */
  async confirm(challengeId: string, code: string, now: Date): Promise<Session> {
    if (!this.identities.confirm) throw new AppError('YMT_ERR_NOT_FOUND');
    const personId = await this.identities.confirm(challengeId, code);
    return this.sessions.create(this.db, personId, now.getTime(), this.sessionTtlSeconds);
  }

  /** Whether a sign-in here waits for a code (at a provincial node). */
  get confirms(): boolean {
    return this.identities.confirm !== undefined;
  }

  /** The person behind a bearer token, with their stored status snapshot (read with the session). */
  async authenticate(token: string | undefined, now: Date): Promise<Holder> {
    if (!token) throw new AppError('YMT_ERR_UNAUTHENTICATED');
    const session = await this.sessions.find(this.db, token);
    if (!session) throw new AppError('YMT_ERR_UNAUTHENTICATED');
    if (session.expiresAt <= now.getTime()) throw new AppError('YMT_ERR_SESSION_EXPIRED');
    return { personId: session.personId, snapshot: session.snapshot };
  }

  signOut(token: string): Promise<void> {
    return this.sessions.delete(this.db, token);
  }

  /** Deletes sessions that have expired; the hub runs it periodically. */
  purgeExpiredSessions(now: Date): Promise<number> {
    return this.sessions.deleteExpired(this.db, now.getTime());
  }
}
