import type { Colour } from '../codec/token.ts';
import type { DeclarationsRepository } from '../declaration/declarations.repository.ts';
import type { StatusEntriesRepository } from './status-entries.repository.ts';
import { BASELINE_RULE_SET } from '../rules/baseline.ts';
import { assess } from '../rules/risk-engine.ts';
import { combineStatus, entryFindings, type StatusReason } from './status.rules.ts';

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
    // The declaration goes through the national baseline rule set; feeds join the evidence in the data hub.
    const declared = assess(
      BASELINE_RULE_SET,
      {
        healthEvents: [],
        coTravel: [],
        visits: [],
        declaration: declaration && {
          ...declaration.body,
          evidence: { source: 'declaration', batchId: 'declaration', record: declaration.version },
        },
      },
      now,
    );
    const findings: StatusReason[] = [
      ...entryFindings(entries, now.getTime()),
      ...declared.reasons.map((r) => ({
        code: r.code,
        colour: r.colour,
        text: r.text,
        textEn: r.textEn,
        source: r.evidence.source,
      })),
    ];
    return { ...combineStatus(findings), asOf: now, declared: declaration !== undefined };
  }
}
