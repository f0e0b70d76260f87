/**
 * The status colour of a holder and the reasons for it (Q2.1, Q3.3). Pure: evidence and the clock come in,
 * the colour goes out. Entries of the `status` table are findings in their own right (their evidence names the
 * entry); evidence goes through the risk engine (src/risk).
 */
import type { Colour } from '../codec/token.ts';

export interface StatusReason {
  readonly code: string;
  readonly colour: Colour;
  readonly text: string;
  readonly textEn: string;
  /** The record behind the reason: a feed record, the declaration's version, or a status-table entry. */
  readonly evidence: { readonly source: string; readonly batchId: string; readonly record: number };
}

/** An entry of the `status` table in force (src/status/status-entries.service.ts creates and ends them). */
export interface StatusEntry {
  readonly entryId: string;
  readonly colour: Colour;
  readonly reasonCode: string;
  readonly reasonText: string;
  readonly reasonTextEn: string;
  readonly validFrom: number;
  readonly validUntil: number | null;
}

/** The evidence of a status entry's finding: the `status` table's entry, by its id. */
export const STATUS_ENTRY_SOURCE = 'status';

export function entryFindings(entries: readonly StatusEntry[], nowMs: number): StatusReason[] {
  return entries
    .filter((e) => e.validFrom <= nowMs && (e.validUntil === null || nowMs < e.validUntil))
    .map((e) => ({
      code: e.reasonCode,
      colour: e.colour,
      text: e.reasonText,
      textEn: e.reasonTextEn,
      evidence: { source: STATUS_ENTRY_SOURCE, batchId: e.entryId, record: 0 },
    }));
}

const RANK: Record<Colour, number> = { green: 0, yellow: 1, red: 2 };

/** The worst colour of the findings wins; with no finding, green with one "no abnormality" reason. */
export function combineStatus(findings: readonly StatusReason[]): {
  colour: Colour;
  reasons: StatusReason[];
} {
  if (findings.length === 0) {
    return {
      colour: 'green',
      reasons: [
        {
          code: 'NO_ABNORMALITY',
          colour: 'green',
          text: '未见异常',
          textEn: 'No abnormality found',
          evidence: { source: 'hub', batchId: 'none', record: 0 },
        },
      ],
    };
  }
  const colour = findings.reduce<Colour>(
    (worst, f) => (RANK[f.colour] > RANK[worst] ? f.colour : worst),
    'green',
  );
  const reasons = [...findings].sort((a, b) => RANK[b.colour] - RANK[a.colour]);
  return { colour, reasons };
}
