import type { Colour } from '../codec/token.ts';
import type { DeclarationsRepository } from '../declaration/declarations.repository.ts';
import type { StatusEntriesRepository } from './status-entries.repository.ts';
import { combineStatus, declarationFindings, entryFindings, type StatusReason } from './status.rules.ts';

export interface Status {
  readonly colour: Colour;
  readonly reasons: readonly StatusReason[];
  readonly asOf: Date;
  /** Whether the holder has filled in a declaration (a code needs one). */
  readonly declared: boolean;
}

export class StatusService {
  constructor(
    private readonly declarations: DeclarationsRepository,
    private readonly entries: StatusEntriesRepository,
  ) {}

  async current(personId: string, now: Date): Promise<Status> {
    const [declaration, entries] = await Promise.all([
      this.declarations.latest(personId),
      this.entries.active(personId, now.getTime()),
    ]);
    const findings = [
      ...entryFindings(entries, now.getTime()),
      ...(declaration ? declarationFindings(declaration.body) : []),
    ];
    return { ...combineStatus(findings), asOf: now, declared: declaration !== undefined };
  }
}
