/**
 * What another party may learn of a holder's status when the holder consents (a province's checkpoint, the
 * linked-codes view): colour, masked name, the reasons' codes and texts, and when — no evidence records. Pure.
 */
import type { Colour } from '../codec/token.ts';
import { maskName } from '../privacy/masking.ts';
import type { StatusReason } from './status.domain.ts';

export interface HolderSummary {
  readonly colour: Colour;
  readonly maskedName: string;
  readonly reasons: { code: string; text: string; textEn: string }[];
  readonly asOf: string;
}

export function summarise(
  name: string,
  s: { readonly colour: Colour; readonly reasons: readonly StatusReason[]; readonly asOf: Date },
): HolderSummary {
  return {
    colour: s.colour,
    maskedName: maskName(name),
    reasons: s.reasons.map((r) => ({ code: r.code, text: r.text, textEn: r.textEn })),
    asOf: s.asOf.toISOString(),
  };
}
