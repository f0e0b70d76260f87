/**
 * The status colour of a holder and the reasons for it (Q2.1, Q3.3). Pure: evidence and the clock come in,
 * the colour goes out. For now the evidence is the declaration and the `status` table; the rules engine of
 * the data-hub issue replaces the declaration part with rule documents.
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

export interface DeclaredHealth {
  readonly temperature: number;
  readonly symptoms: readonly string[];
  readonly contactWithCases: boolean;
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

/** National baseline parameters of the declaration rule. */
export interface DeclarationRuleParameters {
  /** °C; a temperature at or above it is a fever. */
  readonly feverThreshold: number;
}

export const BASELINE_PARAMETERS: DeclarationRuleParameters = { feverThreshold: 37.3 };

const RANK: Record<Colour, number> = { green: 0, yellow: 1, red: 2 };

export function declarationFindings(
  health: DeclaredHealth,
  params: DeclarationRuleParameters = BASELINE_PARAMETERS,
): StatusReason[] {
  const out: StatusReason[] = [];
  if (health.temperature >= params.feverThreshold) {
    out.push({
      code: 'DECLARED_FEVER',
      colour: 'yellow',
      text: `申报体温 ${health.temperature.toFixed(1)}℃，达到发热标准 ${params.feverThreshold.toFixed(1)}℃`,
      textEn: `Declared temperature ${health.temperature.toFixed(1)} °C is at or above ${params.feverThreshold.toFixed(1)} °C`,
      source: 'declaration',
    });
  }
  if (health.symptoms.length > 0) {
    out.push({
      code: 'DECLARED_SYMPTOMS',
      colour: 'yellow',
      text: `申报有症状：${health.symptoms.join('、')}`,
      textEn: `Declared symptoms: ${health.symptoms.join(', ')}`,
      source: 'declaration',
    });
  }
  if (health.contactWithCases) {
    out.push({
      code: 'DECLARED_CONTACT',
      colour: 'yellow',
      text: '申报曾接触确诊或疑似病例',
      textEn: 'Declared contact with a confirmed or suspected case',
      source: 'declaration',
    });
  }
  return out;
}

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
