/** Real-name sign-in and session checks. */
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { DocumentType } from '../identity/document.domain.ts';
import type { IdentityProvider } from '../identity/identity-provider.ts';
import { realNameOrThrow } from '../identity/real-name.ts';
import type { SessionsRepository } from './sessions.repository.ts';

export interface RealNameRequest {
  readonly documentType: DocumentType;
  readonly documentNumber: string;
  readonly name: string;
  readonly nationality?: string | undefined;
}

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly identities: IdentityProvider,
    private readonly sessions: SessionsRepository,
    private readonly sessionTtlSeconds: number,
  ) {}

  async signIn(req: RealNameRequest, now: Date): Promise<{ token: string; expiresAt: number }> {
    const { doc, name } = realNameOrThrow(req, now);
    const personId = await this.identities.authenticate(doc, name);
    if (personId === undefined) throw new AppError('YMT_ERR_REAL_NAME_FAILED');
    return this.sessions.create(this.db, personId, now.getTime(), this.sessionTtlSeconds);
  }

  /** The person behind a bearer token. */
  async authenticate(token: string | undefined, now: Date): Promise<string> {
    if (!token) throw new AppError('YMT_ERR_UNAUTHENTICATED');
    const session = await this.sessions.find(this.db, token);
    if (!session) throw new AppError('YMT_ERR_UNAUTHENTICATED');
    if (session.expiresAt <= now.getTime()) throw new AppError('YMT_ERR_SESSION_EXPIRED');
    return session.personId;
  }

  signOut(token: string): Promise<void> {
    return this.sessions.delete(this.db, token);
  }

  /** Deletes sessions that have expired; the hub runs it periodically. */
  purgeExpiredSessions(now: Date): Promise<number> {
    return this.sessions.deleteExpired(this.db, now.getTime());
  }
}
