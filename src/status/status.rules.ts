/**
 * The status colour of a holder and the reasons for it (Q2.1, Q3.3). Pure: evidence and the clock come in,
 * the colour goes out. Entries of the `status` table are findings in their own right; evidence goes through
 * the rule engine (src/rules).
 */
import type { Colour } from '../codec/token.ts';

export interface StatusReason {
  readonly code: string;
  readonly colour: Colour;
  readonly text: string;
  readonly textEn: string;
  /** Where the evidence came from: `declaration`, or the feed of a status entry. */
  readonly source: string;
}

export interface StatusEntry {
  readonly colour: Colour;
  readonly reasonCode: string;
  readonly reasonText: string;
  readonly reasonTextEn: string;
  readonly source: string;
  readonly validFrom: number;
  readonly validUntil: number | null;
}

const RANK: Record<Colour, number> = { green: 0, yellow: 1, red: 2 };

export function entryFindings(entries: readonly StatusEntry[], nowMs: number): StatusReason[] {
  return entries
    .filter((e) => e.validFrom <= nowMs && (e.validUntil === null || nowMs < e.validUntil))
    .map((e) => ({
      code: e.reasonCode,
      colour: e.colour,
      text: e.reasonText,
      textEn: e.reasonTextEn,
      source: e.source,
    }));
}

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
          source: 'hub',
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
