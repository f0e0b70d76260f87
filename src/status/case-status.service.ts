/**
 * The holder's case status from the findings behind their colour (case-status.domain.ts), with the records those
 * findings name read from the database: health events, status entries and — on a provincial node — the case status
 * the hub sent with the national status (the hub's own answer, its record named as the national reason names it).
 */
import type { Db } from '../db/database.ts';
import type { EvidenceRepository } from '../evidence/evidence.repository.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { caseStatusOf, type CaseStatusAnswer } from './case-status.domain.ts';
import type { StatusEntriesRepository } from './status-entries.repository.ts';
import { STATUS_ENTRY_SOURCE, type StatusReason } from './status.domain.ts';

/** On a node: the case status the hub last sent for the holder, if any. */
export type NationalCaseStatus = (personId: string) => Promise<CaseStatusAnswer | undefined>;

export class CaseStatusService {
  constructor(
    private readonly db: Db,
    private readonly persons: PersonsRepository,
    private readonly evidence: EvidenceRepository,
    private readonly entries: StatusEntriesRepository,
    private readonly national?: NationalCaseStatus,
  ) {}

  /** The case status `reasons` (a holder's findings) carry. */
  async of(personId: string, reasons: readonly StatusReason[]): Promise<CaseStatusAnswer> {
    const entryIds = reasons
      .filter((r) => r.evidence.source === STATUS_ENTRY_SOURCE)
      .map((r) => r.evidence.batchId);
    const keys = await this.persons.lookupKeys(this.db, personId);
    const [healthEvents, entries, national] = await Promise.all([
      keys ? this.evidence.healthEvents(this.db, keys.documentHash) : [],
      this.entries.byIds(this.db, entryIds),
      this.national?.(personId),
    ]);
    return caseStatusOf(reasons, {
      healthEvents,
      entries: new Map(entries.map((e) => [e.entryId, e])),
      ...(national ? { national } : {}),
    });
  }
}
