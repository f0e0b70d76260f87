/** Loads the demo population through the same services a real holder goes through. */
import type { AppContext } from '../app/context.ts';
import { parseDocument } from '../identity/document.rules.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { DEMO_PEOPLE } from './demo-population.ts';

export async function loadDemoPopulation(ctx: AppContext, now: Date): Promise<number> {
  for (const p of DEMO_PEOPLE) {
    const doc = parseDocument(p.documentType, p.documentNumber, p.nationality, shanghaiDate(now));
    if (!doc.ok) throw new Error(`demo person ${p.documentNumber} is invalid: ${doc.code}`);
    const { personId } = await ctx.persons.upsert(
      { doc: doc.value, name: p.name, phone: p.phone },
      now.getTime(),
    );
    if (p.declaration) await ctx.declarations.create(personId, { ...p.declaration, phone: p.phone }, now);
    if (p.status) {
      await ctx.statusEntries.add(
        personId,
        {
          colour: p.status.colour,
          reasonCode: p.status.code,
          reasonText: p.status.text,
          reasonTextEn: p.status.textEn,
          source: p.status.source,
          sourceRef: 'demo',
          validFrom: now.getTime(),
          validUntil: null,
        },
        now.getTime(),
      );
    }
  }
  return DEMO_PEOPLE.length;
}
