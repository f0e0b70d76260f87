/**
 * Writes a generated population as feed files and loads them through the real ingestion path: identities
 * through the import, every feed through the department ingestion (validation, quarantine, exposures).
 */
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditActor } from '../audit/audit-chain.ts';
import type { Db } from '../db/database.ts';
import type { FeedSource } from '../feeds/feed-records.domain.ts';
import type { IngestService } from '../feeds/ingest.service.ts';
import { importIdentities } from '../identity/identities.import.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { Clock } from '../time/clock.ts';
import { generatePopulation, type SeedOptions } from './population.generator.ts';

/** Area risk and itineraries first, cases last, so that exposures are found as a real day would find them. */
/** Who loads the demo population, as the audit log names them. */
const SEED_ACTOR: AuditActor = { actorKind: 'system', actorRef: 'demo seed' };

const ORDER: readonly FeedSource[] = ['area-risk', 'telecom', 'railway', 'aviation', 'immigration', 'health'];

export interface SeedReport {
  readonly dir: string;
  readonly identities: number;
  readonly feeds: Record<string, { accepted: number; rejected: number }>;
}

/** What loading a population uses: the identity import and the department ingestion. */
export interface SeedDeps {
  readonly db: Db;
  readonly persons: PersonsRepository;
  readonly ingest: IngestService;
  readonly clock: Clock;
}

export async function seedPopulation(
  deps: SeedDeps,
  options: SeedOptions,
  dir: string,
  onStep: (step: string, done: number, total: number) => void = () => undefined,
): Promise<SeedReport> {
  const feeds = generatePopulation(options);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const write = (name: string, rows: object[]) => {
    const file = join(dir, `${name}.ndjson`);
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : ''), {
      mode: 0o600,
    });
    return file;
  };
  const total = ORDER.length + 1;
  onStep('identities', 0, total);
  const identities = await importIdentities(
    deps.db,
    deps.persons,
    write('identities', feeds.identities),
    deps.clock(),
    SEED_ACTOR,
  );
  const report: SeedReport = { dir, identities: identities.accepted, feeds: {} };
  for (const [i, source] of ORDER.entries()) {
    onStep(source, i + 1, total);
    const r = await deps.ingest.ingest(createReadStream(write(source, feeds[source])), {
      source,
      format: 'ndjson',
      batchId: `seed-${options.seed}-${options.until}-${options.people}-${source}`,
      province: null,
      now: deps.clock(),
      by: SEED_ACTOR,
    });
    report.feeds[source] = { accepted: r.accepted, rejected: r.rejected.length };
  }
  onStep('done', total, total);
  return report;
}
