/**
 * Look-ups by document at checkpoints (Q9, docs/checkpoint-lookups.md): the code is never the only way through.
 * Checkpoint staff, with their own credential and the person in front of them, look the person up by the document
 * and name on their card — the real-name check of a sign-in — and see what a code would have shown: colour, masked
 * name, reasons. They then record their manual check (pass or refuse). The look-up and the decision are written to
 * the person's access history before the answer, so the person sees every one.
 */
import { randomBytes } from 'node:crypto';
import type { AccessHistoryRepository } from '../access/access-history.repository.ts';
import type { Purpose } from '../access/purposes.ts';
import { inTransaction, type Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { DocumentType } from '../identity/document.domain.ts';
import type { IdentityProvider } from '../identity/identity-provider.ts';
import { realNameOrThrow } from '../identity/real-name.ts';
import type { Staff } from '../staff/staff.repository.ts';
import { summarise, type HolderSummary } from '../status/holder-summary.ts';
import type { StatusService } from '../status/status.service.ts';
import type { LookupsRepository, ManualDecision } from './lookups.repository.ts';

export interface LookupRequest {
  readonly documentType: DocumentType;
  readonly documentNumber: string;
  readonly nationality?: string | undefined;
  readonly mrz?: string | undefined;
  readonly name: string;
}

export interface LookupAnswer extends HolderSummary {
  readonly id: string;
  /** Whether the person has a declaration (without one, no code could have been shown either). */
  readonly declared: boolean;
}

export class LookupsService {
  constructor(
    private readonly db: Db,
    private readonly lookups: LookupsRepository,
    private readonly identities: IdentityProvider,
    private readonly status: StatusService,
    private readonly history: AccessHistoryRepository,
  ) {}

  async lookUp(staff: Staff, req: LookupRequest, now: Date): Promise<LookupAnswer> {
    const { doc, name } = realNameOrThrow(req, now);
    const found = await this.identities.authenticate(doc, name);
    if (found === undefined || !('personId' in found)) throw new AppError('YMT_ERR_STAFF_REAL_NAME');
    const personId = found.personId;
    const status = await this.status.current(personId, now);
    const id = randomBytes(12).toString('hex');
    await inTransaction(this.db, async (trx) => {
      await this.lookups.insert(trx, {
        id,
        staffId: staff.staffId,
        personId,
        region: staff.region,
        at: now.getTime(),
      });
      await this.record(trx, staff, personId, 'status.lookup', now);
    });
    return { id, declared: status.declared, ...summarise(name, status) };
  }

  async decide(
    staff: Staff,
    id: string,
    decision: ManualDecision,
    now: Date,
  ): Promise<{ id: string; decision: ManualDecision; decidedAt: string }> {
    const lookup = await this.lookups.get(this.db, staff.staffId, id);
    if (!lookup) throw new AppError('YMT_ERR_LOOKUP_NOT_FOUND');
    await inTransaction(this.db, async (trx) => {
      if (!(await this.lookups.decide(trx, id, decision, now.getTime())))
        throw new AppError('YMT_ERR_LOOKUP_DECIDED');
      await this.record(
        trx,
        staff,
        lookup.personId,
        decision === 'pass' ? 'check.pass' : 'check.refuse',
        now,
      );
    });
    return { id, decision, decidedAt: now.toISOString() };
  }

  private record(db: Db, staff: Staff, personId: string, purpose: Purpose, now: Date): Promise<void> {
    return this.history.record(db, {
      personId,
      at: now.getTime(),
      actorKind: 'checkpoint',
      actorRef: staff.staffId,
      purpose,
    });
  }
}
