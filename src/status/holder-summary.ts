/**
 * What another party may learn of a holder's status when the holder consents (a province's checkpoint, the
 * linked-codes view): colour, masked name, the reasons' codes and texts, and when — no evidence records.
 */
import type { AppContext } from '../app/context.ts';
import type { Colour } from '../codec/token.ts';
import { AppError } from '../errors/app-error.ts';
import { maskName } from '../privacy/masking.ts';

export interface HolderSummary {
  readonly colour: Colour;
  readonly maskedName: string;
  readonly reasons: { code: string; text: string; textEn: string }[];
  readonly asOf: string;
}

export async function holderSummary(
  ctx: Pick<AppContext, 'persons' | 'status'>,
  personId: string,
  now: Date,
): Promise<HolderSummary> {
  const [person, s] = await Promise.all([ctx.persons.get(personId), ctx.status.current(personId, now)]);
  if (!person) throw new AppError('YMT_ERR_NOT_FOUND');
  return {
    colour: s.colour,
    maskedName: maskName(person.name),
    reasons: s.reasons.map((r) => ({ code: r.code, text: r.text, textEn: r.textEn })),
    asOf: s.asOf.toISOString(),
  };
}
