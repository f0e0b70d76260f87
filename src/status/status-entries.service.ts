/**
 * Status entries as operators manage them (docs/operations.md#status-entries), one service for the operations
 * console and the command line: an operator creates an entry of a kind (status-entry-kinds.json) for a holder named
 * by their document, and ends it, each time saying why; who and when are kept with it. Each write and the drop of
 * the holder's status snapshot are one transaction, so the next read computes the colour — and the case status,
 * from the same findings (case-status.domain.ts) — with the change. What leaves is masked.
 */
import type { Actor } from '../access/actor.ts';
import { recordAct } from '../audit/audited.ts';
import type { Colour } from '../codec/token.ts';
import { inTransaction, type Db } from '../db/database.ts';
import { AppError, fieldProblem } from '../errors/app-error.ts';
import type { DocumentType } from '../identity/document.domain.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { maskDocumentNumber, maskName } from '../privacy/masking.ts';
import type { CaseStatus } from '../risk/evidence.ts';
import {
  ENTRY_KINDS,
  parseEntryInput,
  parseReason,
  type Parsed,
  type StatusEntryInput,
  type StatusEntryKind,
} from './status-entries.domain.ts';
import type { StatusEntriesRepository, StoredStatusEntry } from './status-entries.repository.ts';
import type { StatusSnapshotsRepository } from './status-snapshots.repository.ts';

/** Where entries operators create come from (the `source` column). */
export const OPERATOR_SOURCE = 'operator';

/** The most entries one list shows, newest first. */
export const LIST_LIMIT = 500;

/** An entry as operators see it: the holder masked, the provenance in full. */
export interface StatusEntryView {
  readonly entryId: string;
  readonly holder: {
    readonly documentType: DocumentType;
    readonly documentNumber: string;
    readonly nationality: string;
    readonly name: string;
  };
  readonly kind: string;
  readonly colour: Colour;
  readonly caseStatus: CaseStatus | null;
  readonly text: string;
  readonly textEn: string;
  readonly source: string;
  readonly validFrom: number;
  readonly validUntil: number | null;
  readonly createdAt: number;
  readonly createdBy: string | null;
  readonly reason: string | null;
  readonly ended: { readonly at: number; readonly by: string; readonly reason: string } | null;
  /** In force now: started, not past its end, not ended. */
  readonly active: boolean;
}

function refused<T>(r: Parsed<T>): T {
  if (!r.ok) throw new AppError(r.code, [fieldProblem(r.field, r.code)]);
  return r.value;
}

/** Only operators manage status entries, whichever entry point they come through. */
function operatorOnly(actor: Actor): void {
  if (actor.role !== 'operator') throw new AppError('YMT_ERR_CONSOLE_FORBIDDEN');
}

export class StatusEntriesService {
  constructor(
    private readonly db: Db,
    private readonly entries: StatusEntriesRepository,
    private readonly persons: PersonsRepository,
    private readonly snapshots: StatusSnapshotsRepository,
  ) {}

  /** The kinds an operator may create. */
  kinds(): readonly StatusEntryKind[] {
    return ENTRY_KINDS;
  }

  /** Creates an entry from now (until `until`, or until an operator ends it); the entry as listed. */
  async add(actor: Actor, input: StatusEntryInput, now: Date): Promise<StatusEntryView> {
    operatorOnly(actor);
    const entry = refused(parseEntryInput(input, now));
    const entryId = await inTransaction(this.db, async (trx) => {
      const holder = await this.persons.findByDocument(trx, entry.doc);
      if (!holder)
        throw new AppError('YMT_ERR_HOLDER_UNKNOWN', [
          fieldProblem('documentNumber', 'YMT_ERR_HOLDER_UNKNOWN'),
        ]);
      const id = await this.entries.add(
        trx,
        holder.personId,
        {
          colour: entry.kind.colour,
          reasonCode: entry.kind.code,
          reasonText: entry.kind.text,
          reasonTextEn: entry.kind.textEn,
          caseStatus: entry.kind.caseStatus,
          source: OPERATOR_SOURCE,
          validFrom: now.getTime(),
          validUntil: entry.until,
          createdBy: actor.name,
          reason: entry.reason,
        },
        now.getTime(),
      );
      await this.snapshots.invalidate(trx, holder.personId);
      await recordAct(trx, actor, now, {
        action: 'status-entry.add',
        subject: holder.personId,
        detail: { entryId: id, kind: entry.kind.code },
      });
      return id;
    });
    return this.view(entryId, now);
  }

  /** Ends an entry now, with the reason; an entry already ended (or past its end) is refused. */
  async end(actor: Actor, entryId: string, reason: string, now: Date): Promise<StatusEntryView> {
    operatorOnly(actor);
    const why = refused(parseReason('reason', reason));
    await inTransaction(this.db, async (trx) => {
      const entry = await this.entries.get(trx, entryId);
      if (!entry) throw new AppError('YMT_ERR_STATUS_ENTRY_NOT_FOUND');
      if (!isActive(entry, now.getTime())) throw new AppError('YMT_ERR_STATUS_ENTRY_ENDED');
      // Only one end is recorded, even when two operators end it at once.
      if (!(await this.entries.end(trx, entryId, { by: actor.name, reason: why }, now.getTime())))
        throw new AppError('YMT_ERR_STATUS_ENTRY_ENDED');
      await this.snapshots.invalidate(trx, entry.personId);
      await recordAct(trx, actor, now, {
        action: 'status-entry.end',
        subject: entry.personId,
        detail: { entryId },
      });
    });
    return this.view(entryId, now);
  }

  /** Entries newest first (at most LIST_LIMIT), or only those in force now. */
  /**
   * The newest entries, holders masked. A list is not a look-up of anyone, so it is in no holder's access history;
   * the audit log has who listed how many, before the answer (docs/family.md#access-history).
   */
  async list(actor: Actor, options: { active?: boolean }, now: Date): Promise<StatusEntryView[]> {
    operatorOnly(actor);
    const rows = await this.entries.list(this.db, {
      ...(options.active === true ? { activeAt: now.getTime() } : {}),
      limit: LIST_LIMIT,
    });
    await recordAct(this.db, actor, now, {
      action: 'status-entry.list',
      detail: { active: options.active === true, entries: rows.length },
    });
    return Promise.all(rows.map((r) => this.toView(r, now)));
  }

  private async view(entryId: string, now: Date): Promise<StatusEntryView> {
    const entry = await this.entries.get(this.db, entryId);
    if (!entry) throw new AppError('YMT_ERR_STATUS_ENTRY_NOT_FOUND');
    return this.toView(entry, now);
  }

  private async toView(e: StoredStatusEntry, now: Date): Promise<StatusEntryView> {
    const person = await this.persons.get(this.db, e.personId);
    return {
      entryId: e.entryId,
      holder: {
        // Entries are recorded by document: a person a registrar recorded without one is never their subject.
        documentType: person?.documentType === 'passport' ? 'passport' : 'id_card',
        documentNumber: person ? maskDocumentNumber(person.documentType, person.documentNumber) : '',
        nationality: person?.nationality ?? '',
        name: person ? maskName(person.name) : '',
      },
      kind: e.reasonCode,
      colour: e.colour,
      caseStatus: e.caseStatus,
      text: e.reasonText,
      textEn: e.reasonTextEn,
      source: e.source,
      validFrom: e.validFrom,
      validUntil: e.validUntil,
      createdAt: e.createdAt,
      createdBy: e.createdBy,
      reason: e.reason,
      ended: e.ended,
      active: isActive(e, now.getTime()),
    };
  }
}

function isActive(e: StoredStatusEntry, nowMs: number): boolean {
  return (
    e.validFrom <= nowMs &&
    (e.validUntil === null || nowMs < e.validUntil) &&
    (e.ended === null || nowMs < e.ended.at)
  );
}
