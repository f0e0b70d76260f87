/**
 * What a provincial node answers the hub about its own holders: whether a code it issued is a holder's (when the
 * holder links it at the hub), and a holder's current status here (the hub's linked-codes view).
 */
import type { CodeService } from '../code/code.service.ts';
import type { Db } from '../db/database.ts';
import type { DocumentRef } from '../identity/document.domain.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { HolderSummary } from '../status/holder-summary.ts';
import type { StatusService } from '../status/status.service.ts';

export class NodeAnswersService {
  constructor(
    private readonly db: Db,
    private readonly persons: PersonsRepository,
    private readonly codes: CodeService,
    private readonly status: StatusService,
  ) {}

  /** Whether this code (hex id) was issued here to the holder of this document. */
  async isCodeHolder(codeId: string, doc: DocumentRef): Promise<boolean> {
    const [holder, person] = await Promise.all([
      this.codes.holderOf(codeId),
      this.persons.findByDocument(this.db, doc),
    ]);
    return holder !== undefined && holder === person?.personId;
  }

  /** The holder's status here, when this node knows them. */
  async holderStatus(
    doc: DocumentRef,
    now: Date,
  ): Promise<({ known: true } & HolderSummary) | { known: false }> {
    const person = await this.persons.findByDocument(this.db, doc);
    if (!person) return { known: false };
    return { known: true, ...(await this.status.summary(person.personId, now)) };
  }
}
