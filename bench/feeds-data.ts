/**
 * The data-hub benchmark's data (feeds.bench.ts): its sizes, a deterministic generator of travellers, journeys
 * and seats, the hub it runs on, raw connections for set-up and baselines, and the indexed prefill.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { compose, type Parts } from '../src/app/compose.ts';
import { loadConfig } from '../src/config/config.ts';
import { BATCH_COLUMNS, insertColumns, type BatchValue } from '../src/feeds/batch-writer.ts';
import { docKey, JourneysRepository } from '../src/feeds/journeys.repository.ts';
import { copyLine } from '../src/feeds/pg-batch-writer.ts';
import { idCardCheckChar } from '../src/identity/id-card.domain.ts';
import { shanghaiDate } from '../src/time/shanghai.ts';

export const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
export const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000_000);
export const BATCH = Number(process.env.BENCH_BATCH ?? 300_000);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const CASES = Number(process.env.BENCH_CASES ?? 1000);
export const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
export const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Travellers: about 5 trips each in 14 days. */
export const TRAVELLERS = Math.max(1000, Math.round(ROWS / 5));
export const DAYS = 14;
export const TRAINS_PER_DAY = 2000;
export const FLIGHTS_PER_DAY = 1500;
export const CHUNK = 5000;
export const GOALS = { sqliteIngest: 150_000, pgIngest: 100_000, exposureSeconds: 1, statusRatio: 3 };

export const now = new Date();
export const today = shanghaiDate(now);
export const dayOf = (offset: number) => shanghaiDate(now.getTime() + offset * 86400_000);
let seed = 20261127;
/** A small deterministic generator (mulberry32): the same data in every run. */
export function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
export const int = (n: number) => Math.floor(random() * n);

/** The i-th synthetic ID number: Beijing Dongcheng, born 1950–2009, a valid check character. */
export function idNumber(i: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + (i % 21900) * 86400_000).toISOString().slice(0, 10);
  const first17 = `110101${birth.replaceAll('-', '')}${String(Math.floor(i / 21900) % 1000).padStart(3, '0')}`;
  return `${first17}${idCardCheckChar(first17)}`;
}

export function fail(detail: string): never {
  console.error(`benchmark check failed: ${detail}`);
  process.exit(2);
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
export async function seconds(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}
/** Per-round lines, printed and kept for docs/performance.md. */
export const rounds: string[] = [];
export function say(line: string): void {
  rounds.push(line);
  console.log(`  ${line}`);
}
export function progress(label: string, done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${fmt(done)}/${fmt(total)}`,
  );
  if (done >= total) process.stderr.write('\n');
}

// ---------------------------------------------------------------------------------------------------------
// A journey plan: the trains and flights of each day, and how a traveller is seated.

export interface Trip {
  readonly kind: 'train' | 'flight';
  readonly key: string;
  readonly date: string;
  readonly no: string;
}
export function journeysOf(date: string): Trip[] {
  return [
    ...Array.from({ length: TRAINS_PER_DAY }, (_, i) => ({
      kind: 'train' as const,
      no: `G${i + 1}`,
      key: `T:G${i + 1}:${date}`,
      date,
    })),
    ...Array.from({ length: FLIGHTS_PER_DAY }, (_, i) => ({
      kind: 'flight' as const,
      no: `CA${1000 + i}`,
      key: `F:CA${1000 + i}:${date}`,
      date,
    })),
  ];
}
/** 60 % of rows on trains (16 carriages), 40 % on flights (40 rows). */
export function seat(): { journey: number; position: number; seat: string } {
  if (random() < 0.6) {
    const position = 1 + int(16);
    return { journey: int(TRAINS_PER_DAY), position, seat: `${1 + int(20)}${'ABCDF'[int(5)] ?? 'A'}` };
  }
  const position = 1 + int(40);
  return {
    journey: TRAINS_PER_DAY + int(FLIGHTS_PER_DAY),
    position,
    seat: `${position}${'ABCDEF'[int(6)] ?? 'A'}`,
  };
}

// ---------------------------------------------------------------------------------------------------------

export interface Hub {
  readonly parts: Parts;
  readonly engine: 'sqlite' | 'postgres';
  readonly dir: string;
  readonly schema?: string;
}

export async function openHub(engine: 'sqlite' | 'postgres', dir: string, schema?: string): Promise<Hub> {
  const config = loadConfig({
    DATA_DIR: dir,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    ...(engine === 'postgres' ? { DATABASE_URL: PG_URL } : {}),
  });
  const parts = await compose(config, schema ? { pgSchema: schema } : {});
  return { parts, engine, dir, ...(schema ? { schema } : {}) };
}

/**
 * Runs `work` on a hub of its own on `engine` — a fresh folder (under BENCH_DIR, or the system's temporary one) and,
 * on PostgreSQL, a fresh schema `bench_<name>_…` —, and removes both after.
 */
export async function withHub<T>(
  engine: 'sqlite' | 'postgres',
  name: string,
  work: (hub: Hub) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), `ymt-${name}-bench-`));
  const schema = engine === 'postgres' ? `bench_${name}_${randomBytes(4).toString('hex')}` : undefined;
  const hub = await openHub(engine, dir, schema);
  try {
    return await work(hub);
  } finally {
    await hub.parts.close();
    if (schema) {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The travellers' keyed document hashes (as the hub computes them). */
export function travellerHashes(parts: Parts): string[] {
  const t0 = performance.now();
  const hashes = Array.from({ length: TRAVELLERS }, (_, i) =>
    parts.repositories.persons.documentHash({ type: 'id_card', number: idNumber(i), nationality: 'CHN' }),
  );
  console.log(`  ${fmt(TRAVELLERS)} travellers hashed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return hashes;
}

/** Journey ids of the prefill days (offset -14 … -1) and today, created through the repository. */
export async function createJourneys(parts: Parts, offsets: number[]): Promise<Map<number, number[]>> {
  const repo = new JourneysRepository();
  const ids = new Map<number, number[]>();
  for (const o of offsets) {
    const trips = journeysOf(dayOf(o));
    const resolved = await repo.resolve(
      parts.db,
      trips.map((t) => ({ tripKey: t.key, kind: t.kind, tripDate: t.date })),
    );
    ids.set(
      o,
      trips.map((t) => resolved.get(t.key) ?? fail(`journey ${t.key}`)),
    );
  }
  return ids;
}

/** One manifest row (BATCH_COLUMNS.manifests order) of a random traveller on day `offset`. */
export function manifestRow(
  hashes: string[],
  journeys: number[],
  offset: number,
  ref: number,
  line: number,
): BatchValue[] {
  const s = seat();
  const hash = hashes[int(hashes.length)] ?? '';
  return [
    ref,
    line,
    journeys[s.journey] ?? 0,
    dayOf(offset),
    s.position,
    s.seat,
    null,
    docKey(hash),
    hash,
    null,
  ];
}

/** A manifest row's columns, as the batch writer takes them (BATCH_COLUMNS.manifests). */
export const MANIFEST_COLUMNS = insertColumns('manifests');
/** One `?` for each of them. */
export const MANIFEST_PLACEHOLDERS = BATCH_COLUMNS.manifests.map(() => '?').join(', ');
export const MANIFEST_INDEXES = [
  'CREATE INDEX manifests_journey ON manifests (journey_id, position)',
  'CREATE INDEX manifests_doc ON manifests (trip_date, doc_key)',
];

/** A second connection to the hub's SQLite file, for set-up and baselines. */
export function rawSqlite(hub: Hub): SQLite.Database {
  const raw = new SQLite(hub.parts.config.sqliteFile);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  return raw;
}

/** A connection of its own to the hub's PostgreSQL schema, for set-up and baselines. */
export async function rawPostgres(hub: Hub): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: PG_URL,
    options: `-c search_path=${hub.schema ?? 'public'}`,
  });
  await client.connect();
  return client;
}

/** The prefill, day by day over the 14 days before today: BENCH_ROWS rows spread evenly. */
export function* prefillDays(
  hashes: string[],
  journeys: Map<number, number[]>,
): Generator<{ written: number; rows: Iterable<BatchValue[]> }> {
  const perDay = Math.ceil(ROWS / DAYS);
  let written = 0;
  for (let d = 0; d < DAYS; d++) {
    const offset = d - DAYS;
    const ids = journeys.get(offset) ?? fail('journeys');
    const n = Math.min(perDay, ROWS - written);
    written += n;
    yield {
      written,
      rows: (function* () {
        for (let j = 0; j < n; j++) yield manifestRow(hashes, ids, offset, 1, j + 1);
      })(),
    };
  }
}

/** Fills the manifests without their indexes, then builds them (set-up, not measured). */
export async function prefill(hub: Hub, hashes: string[], journeys: Map<number, number[]>): Promise<void> {
  const t0 = performance.now();
  if (hub.engine === 'sqlite') {
    const raw = rawSqlite(hub);
    raw.exec('DROP INDEX manifests_journey; DROP INDEX manifests_doc');
    const ins = raw.prepare(`INSERT INTO manifests (${MANIFEST_COLUMNS}) VALUES (${MANIFEST_PLACEHOLDERS})`);
    for (const day of prefillDays(hashes, journeys)) {
      raw.transaction(() => {
        for (const row of day.rows) ins.run(row);
      })();
      progress('prefill', day.written, ROWS);
    }
    for (const ddl of MANIFEST_INDEXES) raw.exec(ddl);
    // The prefill's WAL (the index builds: hundreds of MB) is checkpointed now, not by the first measured commit.
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
  } else {
    const client = await rawPostgres(hub);
    await client.query('DROP INDEX manifests_journey; DROP INDEX manifests_doc');
    for (const day of prefillDays(hashes, journeys)) {
      await copyRows(client, 'manifests', MANIFEST_COLUMNS, day.rows);
      progress('prefill', day.written, ROWS);
    }
    for (const ddl of MANIFEST_INDEXES) await client.query(ddl);
    await client.query('VACUUM ANALYZE manifests');
    await client.end();
  }
  console.log(
    `  prefill: ${fmt(ROWS)} manifest rows with indexes in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}

export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: string,
  rows: Iterable<BatchValue[]>,
) {
  await pipeline(
    Readable.from(
      (function* () {
        let text = '';
        for (const row of rows) {
          text += copyLine(row);
          if (text.length >= 1 << 16) {
            yield text;
            text = '';
          }
        }
        if (text !== '') yield text;
      })(),
    ),
    client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)),
  );
}
