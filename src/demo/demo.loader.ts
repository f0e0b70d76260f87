/** Loads the demo population through the same services a real holder goes through. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../app/context.ts';
import { seedPopulation } from '../seed/seed.loader.ts';
import { parseDocument } from '../identity/document.rules.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { DEMO_PEOPLE } from './demo-population.ts';

const DEMO_SEED_PEOPLE = 200;

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
  // And a small synthetic population with its feeds, so the health functions have evidence to show.
  const dir = mkdtempSync(join(tmpdir(), 'ymt-demo-seed-'));
  try {
    await seedPopulation(ctx, { people: DEMO_SEED_PEOPLE, days: 14, seed: 1, until: shanghaiDate(now) }, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return DEMO_PEOPLE.length + DEMO_SEED_PEOPLE;
}
