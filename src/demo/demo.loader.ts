/** Loads the demo population through the same services a real holder goes through. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../app/context.ts';
import { ConsoleAccountsRepository } from '../console/console-accounts.repository.ts';
import { seedPopulation } from '../seed/seed.loader.ts';
import { parseDocument } from '../identity/document.domain.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { DEMO_PEOPLE } from './demo-population.ts';

const DEMO_SEED_PEOPLE = 200;

/**
 * Fixed credentials of the demo console accounts and of one demo feed department (the README lists them):
 * valid tokens, only ever created by the demo population — never in a database loaded with DEMO_DATA=false.
 */
export const DEMO_CREDENTIALS = {
  operator: { name: '国家平台运营值班（演示）', token: 'ymto_demo_operator_0000000000000000' },
  province: {
    name: '北京市卫生健康委员会（演示）',
    province: '110000',
    token: 'ymto_demo_province_110000_0000000000',
  },
  railway: { name: '国铁集团（演示）', token: 'ymtd_demo_railway_00000000000000000' },
} as const;

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
  // The console's demo accounts, and a department whose (seeded) railway batches the console shows.
  const accounts = new ConsoleAccountsRepository(ctx.db);
  const { operator, province, railway } = DEMO_CREDENTIALS;
  await accounts.create(operator.name, null, now.getTime(), operator.token);
  await accounts.create(province.name, province.province, now.getTime(), province.token);
  await ctx.departments.create(railway.name, 'railway', null, now.getTime(), railway.token);
  // And a small synthetic population with its feeds, so the health functions have evidence to show.
  const dir = mkdtempSync(join(tmpdir(), 'ymt-demo-seed-'));
  try {
    await seedPopulation(ctx, { people: DEMO_SEED_PEOPLE, days: 14, seed: 1, until: shanghaiDate(now) }, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return DEMO_PEOPLE.length + DEMO_SEED_PEOPLE;
}
