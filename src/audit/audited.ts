/**
 * Administrative acts into the audit log (docs/security.md#audit-log): `audited` runs an act and chains its entry
 * in one transaction, so neither is written without the other. `actorOf` says who acted, as the log names them.
 */
import { userInfo } from 'node:os';
import { accessActor, commandLineActor, type Actor } from '../access/actor.ts';
import { inTransaction, type Db } from '../db/database.ts';
import type { AuditFacts } from './audit-chain.ts';
import { AuditLogRepository } from './audit-log.repository.ts';

/** The log's rows: the repository is stateless, so every service may share this one. */
const log = new AuditLogRepository();

/** Who acted, as the log names them: their role, and the account (a provincial authority's with its province). */
export function actorOf(actor: Actor): Pick<AuditFacts, 'actorKind' | 'actorRef'> {
  const who = accessActor(actor);
  return actor.role === 'province' && actor.accountId !== undefined
    ? { ...who, actorRef: `${actor.province}/${actor.accountId}` }
    : who;
}

/**
 * Who acts at the command line on the hub's machine: an operator, named by the system user (credentials for the
 * console, feeds and field staff are made and withdrawn only there).
 */
export function commandLineUser(): Actor {
  return commandLineActor(userInfo().username);
}

/** What an act's entry says besides who and when. */
export interface ActFacts {
  readonly action: string;
  readonly subject?: string | null;
  /** A little more, as an object (JSON in the log); never personal data in clear. */
  readonly detail?: Record<string, unknown>;
}

/** Runs `act` and chains its entry (from the act's result) in one transaction. */
export function audited<T>(
  db: Db,
  actor: Actor,
  now: Date,
  act: (trx: Db) => Promise<T>,
  facts: (result: T) => ActFacts,
): Promise<T> {
  return inTransaction(db, async (trx) => {
    const result = await act(trx);
    await recordAct(trx, actor, now, facts(result));
    return result;
  });
}

/** Chains an entry in `trx`, the act's own transaction, when the actor is not an Actor (a holder, the hub). */
export async function appendFacts(trx: Db, facts: AuditFacts): Promise<void> {
  await log.append(trx, facts);
}

/** Chains an act's entry in `trx`, the act's own transaction. */
export async function recordAct(trx: Db, actor: Actor, now: Date, f: ActFacts): Promise<void> {
  await log.append(trx, {
    at: now.getTime(),
    ...actorOf(actor),
    action: f.action,
    subject: f.subject ?? null,
    detail: f.detail === undefined ? null : JSON.stringify(f.detail),
  });
}
