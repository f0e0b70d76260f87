/**
 * Loads the demo population through the same services a real holder goes through, with console credentials made
 * for this data folder: an operator, Beijing's authority and the railway department, each with a fresh random
 * token, written once to DATA_DIR/demo-credentials.json (owner-only) and returned so the hub can print them.
 * Nothing well known: two data folders never share a credential. Never in production (src/config/config.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../access/actor.ts';
import type { ConsoleAccountsService } from '../console/console-accounts.service.ts';
import type { Db } from '../db/database.ts';
import type { DeclarationService } from '../declaration/declaration.service.ts';
import type { DepartmentsService } from '../feeds/departments.service.ts';
import { writeJsonAtomic } from '../files/json-file.ts';
import { parseDocument } from '../identity/document.domain.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { seedPopulation, type SeedDeps } from '../seed/seed.loader.ts';
import type { StatusEntriesService } from '../status/status-entries.service.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { DEMO_PEOPLE } from './demo-population.ts';

const DEMO_SEED_PEOPLE = 200;

/** Who records the demo population's status entries. */
const DEMO_OPERATOR: Actor = { role: 'operator', name: '演示数据（demo population）' };

/** Where the demo credentials of a data folder are written (the README names it). */
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';

export interface DemoCredential {
  readonly role: 'operator' | 'province' | 'department';
  readonly name: string;
  readonly token: string;
  readonly province?: string;
  readonly source?: string;
}

export interface DemoCredentials {
  readonly file: string;
  readonly operator: DemoCredential;
  readonly province: DemoCredential;
  readonly railway: DemoCredential;
}

export interface DemoDeps extends SeedDeps {
  readonly db: Db;
  readonly dataDir: string;
  readonly persons: PersonsRepository;
  readonly declarations: DeclarationService;
  readonly statusEntries: StatusEntriesService;
  readonly consoleAccounts: ConsoleAccountsService;
  readonly departments: DepartmentsService;
}

export async function loadDemoPopulation(deps: DemoDeps, now: Date): Promise<DemoCredentials> {
  for (const p of DEMO_PEOPLE) {
    const doc = parseDocument(p.documentType, p.documentNumber, p.nationality, shanghaiDate(now));
    if (!doc.ok) throw new Error(`demo person ${p.documentNumber} is invalid: ${doc.code}`);
    const { personId } = await deps.persons.upsert(
      deps.db,
      { doc: doc.value, name: p.name, phone: p.phone },
      now.getTime(),
    );
    if (p.declaration) await deps.declarations.create(personId, { ...p.declaration, phone: p.phone }, now);
    // An operator records the demo's status entries, as `yimatong status-entries add` does.
    if (p.status) {
      const { documentType, documentNumber, nationality } = p;
      await deps.statusEntries.add(
        DEMO_OPERATOR,
        { documentType, documentNumber, nationality, ...p.status },
        now,
      );
    }
  }
  // The console's demo accounts, and a department whose (seeded) railway batches the console shows.
  const operator = await deps.consoleAccounts.create('国家平台运营值班（演示）', null, now);
  const province = await deps.consoleAccounts.create('北京市卫生健康委员会（演示）', '110000', now);
  const railway = await deps.departments.create('国铁集团（演示）', 'railway', null, now);
  const file = join(deps.dataDir, DEMO_CREDENTIALS_FILE);
  const credentials: DemoCredentials = {
    file,
    operator: { role: 'operator', name: operator.name, token: operator.token },
    province: { role: 'province', name: province.name, token: province.token, province: '110000' },
    railway: { role: 'department', name: railway.name, token: railway.token, source: 'railway' },
  };
  writeJsonAtomic(file, {
    note: 'Demo credentials of this data folder (yimatong demo population). Keep them private.',
    operator: credentials.operator,
    province: credentials.province,
    railway: credentials.railway,
  });
  // And a small synthetic population with its feeds, so the health functions have evidence to show.
  const dir = mkdtempSync(join(tmpdir(), 'ymt-demo-seed-'));
  try {
    await seedPopulation(
      deps,
      { people: DEMO_SEED_PEOPLE, days: 14, seed: 1, until: shanghaiDate(now) },
      dir,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return credentials;
}
