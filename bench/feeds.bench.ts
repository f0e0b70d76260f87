/**
 * Data-hub benchmarks (docs/performance.md), on the real code paths of a hub built by the composition root (src/app/compose.ts); data and set-up in feeds-data.ts:
 *
 * 1. Ingest, SQLite and PostgreSQL: manifest rows per second into a manifest table that already holds
 *    BENCH_ROWS rows (10 M by default) with its indexes, each as a ratio to a plain insert of the same rows
 *    measured in the same round (SQLite: prepared INSERT into an empty, index-free table in one transaction;
 *    PostgreSQL: COPY into such a table). Two rates: the storage path (rows already validated, written aside and
 *    published by the BatchWriter) and the whole ingest of an NDJSON batch (read, validate, hash, resolve
 *    journeys, write, publish).
 * 2. Exposure, SQLite: BENCH_CASES (1,000) confirmed cases published, then the exposure engine's pass over 14
 *    days of manifests: every co-traveller flagged. Three passes, each with its own cases; the median reported.
 * 3. Status read, SQLite: p50/p99 of the holder's status lookup (StatusService.current from a fresh snapshot)
 *    with BENCH_PEOPLE (10 M) snapshots stored, beside a raw prepared SELECT of the same row, as a ratio at p99.
 *    Three rounds; the median reported.
 *
 *   npm run bench:feeds    (BENCH_ROWS, BENCH_PEOPLE, BENCH_BATCH, BENCH_ROUNDS, BENCH_ENGINES to resize)
 *
 * The prefill is written with raw prepared statements / COPY and indexed afterwards (that is set-up, not a
 * measurement). Exit code 0 whatever the numbers; non-zero only if a check of the results fails.
 */
import { randomBytes } from 'node:crypto';
import { machine, median, writeBlock } from './report.ts';
import { exposureBench, publishOnly, statusBench, us } from './feeds-effects.ts';
import { Readable } from 'node:stream';
import type { BatchValue } from '../src/feeds/batch-writer.ts';
import { JourneysRepository } from '../src/feeds/journeys.repository.ts';
import {
  ROWS,
  PEOPLE,
  BATCH,
  ROUNDS,
  CASES,
  ENGINES,
  TRAVELLERS,
  DAYS,
  CHUNK,
  GOALS,
  today,
  int,
  idNumber,
  fail,
  fmt,
  seconds,
  rounds,
  say,
  journeysOf,
  seat,
  type Hub,
  withHub,
  travellerHashes,
  createJourneys,
  manifestRow,
  MANIFEST_COLUMNS,
  MANIFEST_PLACEHOLDERS,
  rawSqlite,
  rawPostgres,
  prefill,
  copyRows,
} from './feeds-data.ts';

/** The same rows into an empty table without indexes, the plainest way each engine offers. */
async function plainInsert(hub: Hub, rows: BatchValue[][]): Promise<number> {
  const ddl = `CREATE TABLE bench_plain (batch_ref bigint, line integer, journey_id bigint, trip_date text,
    position integer, seat text, port text, doc_key bigint, doc_hash text, name_hash text)`;
  if (hub.engine === 'sqlite') {
    const raw = rawSqlite(hub);
    raw.exec('DROP TABLE IF EXISTS bench_plain');
    raw.exec(ddl);
    const ins = raw.prepare(`INSERT INTO bench_plain VALUES (${MANIFEST_PLACEHOLDERS})`);
    const s = await seconds(() => {
      raw.transaction(() => {
        for (const r of rows) ins.run(r);
      })();
    });
    raw.exec('DROP TABLE bench_plain');
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    return s;
  }
  const client = await rawPostgres(hub);
  await client.query('DROP TABLE IF EXISTS bench_plain');
  await client.query(ddl);
  const s = await seconds(async () => {
    await client.query('BEGIN');
    await copyRows(client, 'bench_plain', MANIFEST_COLUMNS, rows);
    await client.query('COMMIT');
  });
  await client.query('DROP TABLE bench_plain');
  await client.end();
  return s;
}

/** Rows written aside and published by the hub's BatchWriter, as the ingest service does. */
async function storagePath(hub: Hub, rows: BatchValue[][], batchId: string): Promise<number> {
  return seconds(async () => {
    const writer = await hub.parts.batchWriters.open();
    for (let i = 0; i < rows.length; i += CHUNK) {
      for (let j = i; j < Math.min(rows.length, i + CHUNK); j++) writer.add('manifests', rows[j] ?? []);
      await writer.flush();
    }
    await writer.publish({
      source: 'railway',
      batchId,
      province: null,
      total: rows.length,
      accepted: rows.length,
      rejected: 0,
      receivedAt: Date.now(),
      committedAt: Date.now(),
      by: { actorKind: 'system', actorRef: 'bench' },
    });
  });
}

/** An NDJSON railway/aviation batch of `n` records on today's journeys (aviation and railway halves). */
function ndjsonBatch(n: number): { railway: string; aviation: string } {
  const trips = journeysOf(today);
  const railway: string[] = [];
  const aviation: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = seat();
    const trip = trips[s.journey];
    if (!trip) fail('trip');
    const doc = { documentType: 'id_card', documentNumber: idNumber(int(TRAVELLERS)) };
    if (trip.kind === 'train') {
      railway.push(
        JSON.stringify({ ...doc, trainNo: trip.no, date: today, carriage: s.position, seat: s.seat }),
      );
    } else {
      aviation.push(JSON.stringify({ ...doc, flightNo: trip.no, date: today, seat: s.seat }));
    }
  }
  return { railway: railway.join('\n'), aviation: aviation.join('\n') };
}

/** The ingestion without the processing that follows publication (the benchmarks time that apart). */
async function ingestBench(hub: Hub, hashes: string[], journeys: Map<number, number[]>) {
  const service = publishOnly(hub);
  const results = { plain: [] as number[], storage: [] as number[], ingest: [] as number[] };
  const todayIds = journeys.get(0) ?? fail('journeys');
  const repo = new JourneysRepository();
  for (let round = 0; round < ROUNDS; round++) {
    const batchId = `bench-storage-${round}-${randomBytes(4).toString('hex')}`;
    const ref = await repo.batchRef(hub.parts.db, 'railway', batchId);
    const rows = Array.from({ length: BATCH }, (_, i) => manifestRow(hashes, todayIds, 0, ref, i + 1));
    const plain = await plainInsert(hub, rows);
    const storage = await storagePath(hub, rows, batchId);
    const { railway, aviation } = ndjsonBatch(BATCH);
    let accepted = 0;
    const whole = await seconds(async () => {
      for (const [source, body] of [
        ['railway', railway],
        ['aviation', aviation],
      ] as const) {
        const r = await service.ingest(Readable.from([body]), {
          source,
          format: 'ndjson',
          batchId: `bench-${source}-${round}-${randomBytes(4).toString('hex')}`,
          province: null,
          now: new Date(),
          by: { actorKind: 'system', actorRef: 'bench' },
        });
        if (r.rejected.length > 0)
          fail(`${r.rejected.length} records rejected: ${JSON.stringify(r.rejected[0])}`);
        accepted += r.accepted;
      }
    });
    if (accepted !== BATCH) fail(`accepted ${accepted} of ${BATCH}`);
    results.plain.push(BATCH / plain);
    results.storage.push(BATCH / storage);
    results.ingest.push(BATCH / whole);
    say(
      `${hub.engine} round ${round + 1}: plain ${fmt(BATCH / plain)} rows/s, storage path ${fmt(BATCH / storage)} rows/s` +
        ` (${(plain / storage).toFixed(2)}), whole ingest ${fmt(BATCH / whole)} rows/s (${(plain / whole).toFixed(2)})`,
    );
  }
  const n = await hub.parts.db
    .selectFrom('manifests')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return { ...results, total: Number(n.n) };
}

// ---------------------------------------------------------------------------------------------------------

const header = [
  machine(),
  `manifests: ${fmt(ROWS)} prefilled over ${DAYS} days (${fmt(TRAVELLERS)} travellers), batches of ${fmt(BATCH)}, ${ROUNDS} rounds`,
];
console.log(`Data-hub benchmarks — ${new Date().toISOString()}`);
for (const line of header) console.log(line);

const summary: string[] = [];
for (const engine of ENGINES as ('sqlite' | 'postgres')[]) {
  console.log(`\n[${engine}]`);
  await withHub(engine, 'feeds', async (hub) => {
    const hashes = travellerHashes(hub.parts);
    const journeys = await createJourneys(hub.parts, [
      ...Array.from({ length: DAYS }, (_, d) => d - DAYS),
      0,
    ]);
    await prefill(hub, hashes, journeys);
    const r = await ingestBench(hub, hashes, journeys);
    const goal = engine === 'sqlite' ? GOALS.sqliteIngest : GOALS.pgIngest;
    const plain = median(r.plain);
    const storage = median(r.storage);
    const whole = median(r.ingest);
    summary.push(
      `${engine} ingest into ${fmt(ROWS)}+ rows (median of ${ROUNDS}): plain ${fmt(plain)} rows/s; ` +
        `storage path ${fmt(storage)} rows/s = ${(storage / plain).toFixed(2)} × plain (goal ≥ ${fmt(goal)}: ${storage >= goal ? 'met' : 'NOT met'}); ` +
        `whole ingest ${fmt(whole)} rows/s = ${(whole / plain).toFixed(2)} × plain; table now ${fmt(r.total)} rows`,
    );
    if (engine === 'sqlite') {
      const e = await exposureBench(hub);
      summary.push(
        `sqlite exposure (median of 3 passes): ${CASES} new cases → ${fmt(e.caseTrips)} case trips, ${fmt(e.exposures)} exposures ` +
          `flagged in ${e.seconds.toFixed(2)} s (goal ≤ ${GOALS.exposureSeconds} s: ${e.seconds <= GOALS.exposureSeconds ? 'met' : 'NOT met'})`,
      );
      const st = await statusBench(hub);
      summary.push(
        `sqlite status read with ${fmt(PEOPLE)} snapshots (median of 3 rounds): StatusService.current p50 ${us(st.service.p50)}, ` +
          `p99 ${us(st.service.p99)}; raw SELECT p50 ${us(st.raw.p50)}, p99 ${us(st.raw.p99)}; ` +
          `p99 ${st.ratio.toFixed(2)} × raw (goal ≤ ${GOALS.statusRatio} ×: ${st.ratio <= GOALS.statusRatio ? 'met' : 'NOT met'})`,
      );
    }
  });
}
console.log('\nSummary');
for (const line of summary) console.log(`- ${line}`);

// `npm run bench` writes what it saw into docs/performance.md, between the markers.
const target = process.env.BENCH_WRITE;
if (target) {
  const body = ['```text', ...rounds, '```', '', ...summary.map((line) => `- ${line}`)];
  if (!writeBlock(target, 'feeds.bench', header.join('; '), body))
    fail(`${target} has no <!-- feeds.bench:start --> … <!-- feeds.bench:end --> block`);
  console.log(`written to ${target}`);
}
