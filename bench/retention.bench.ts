/**
 * The retention purge at scale (docs/capacity.md#retention-purge): the manifest table — the largest purgeable one —
 * filled with BENCH_ROWS rows (10 M by default) over 40 days of trips, half of them dated before the travel window
 * (RETENTION_TRAVEL_DAYS, 28 days), in batches of BENCH_BATCH rows received on their trip's day, with a co-travel
 * exposure on one row in a hundred; then one purge through the real service (src/retention), which removes the old
 * half batch by batch in chunks of 5 000 rows.
 *
 * Reported per engine: the purge's time and rows/s, the longest single chunk (one transaction: the longest any
 * writer waits behind the purge), and the purge's rate as a ratio to the fill measured in the same run (SQLite:
 * prepared INSERTs into the index-free table; PostgreSQL: COPY), the natural baseline of writing the same rows.
 *
 *   npm run bench:retention    (BENCH_ROWS, BENCH_BATCH, BENCH_ENGINES=sqlite|postgres to resize; BENCH_WRITE=docs/…)
 *
 * Minutes at 10 M rows per engine: not part of `npm run bench`. Exit code 0 whatever the numbers; non-zero only if a
 * check of the results fails (a row inside its window removed, or an old one left).
 */
import type { BatchValue } from '../src/feeds/batch-writer.ts';
import { RetentionRepository } from '../src/retention/retention.repository.ts';
import { RetentionService } from '../src/retention/retention.service.ts';
import {
  copyRows,
  createJourneys,
  dayOf,
  ENGINES,
  fail,
  fmt,
  manifestRow,
  MANIFEST_COLUMNS,
  MANIFEST_PLACEHOLDERS,
  MANIFEST_INDEXES,
  now,
  progress,
  rawPostgres,
  rawSqlite,
  ROWS,
  travellerHashes,
  withHub,
  type Hub,
} from './feeds-data.ts';
import { machine, writeBlock } from './report.ts';

const BATCH = Number(process.env.BENCH_BATCH ?? 50_000);
/** Trip days: 48 to 9 days back; those more than 28 days back (20 of the 40) are past the travel window. */
const OFFSETS = Array.from({ length: 40 }, (_, i) => i - 48);
const EXPOSURE_EVERY = 100;

interface Batch {
  readonly ref: number;
  readonly offset: number;
  readonly seqFrom: number;
  readonly seqTo: number;
}

/** The batches: BENCH_ROWS rows spread evenly over the days, cut into batches of BENCH_BATCH rows. */
function plan(): Batch[] {
  const perDay = Math.ceil(ROWS / OFFSETS.length);
  const batches: Batch[] = [];
  let seq = 1;
  for (const offset of OFFSETS) {
    const today = Math.min(perDay, ROWS - seq + 1);
    for (let done = 0; done < today; done += BATCH) {
      const n = Math.min(BATCH, today - done);
      batches.push({ ref: batches.length + 1, offset, seqFrom: seq, seqTo: seq + n - 1 });
      seq += n;
    }
  }
  return batches;
}

function* rowsOf(b: Batch, hashes: string[], journeys: number[]): Generator<BatchValue[]> {
  for (let seq = b.seqFrom; seq <= b.seqTo; seq++)
    yield [seq, ...manifestRow(hashes, journeys, b.offset, b.ref, seq - b.seqFrom + 1)];
}

const batchRow = (b: Batch): BatchValue[] => {
  const at = now.getTime() + b.offset * 86_400_000;
  const n = b.seqTo - b.seqFrom + 1;
  return ['railway', `rail-${String(b.ref)}`, null, n, n, 0, at, at, at, b.seqFrom, b.seqTo];
};
const BATCH_COLUMNS =
  'source, batch_id, province, total, accepted, rejected, received_at, committed_at, processed_at, seq_from, seq_to';

/** Fills the tables; returns the fill's seconds (rows without indexes) and the index build's. */
async function fill(hub: Hub, batches: Batch[]): Promise<{ fillSeconds: number; indexSeconds: number }> {
  const hashes = travellerHashes(hub.parts);
  const journeys = await createJourneys(hub.parts, OFFSETS);
  const ids = (o: number) => journeys.get(o) ?? fail('journeys');
  const exposure = (seq: number, hash: BatchValue): BatchValue[] => ['case', seq, seq, hash, now.getTime()];
  let fillSeconds = 0;
  let indexSeconds = 0;
  if (hub.engine === 'sqlite') {
    const raw = rawSqlite(hub);
    raw.exec('DROP INDEX manifests_journey; DROP INDEX manifests_doc; DROP INDEX exposures_trip');
    const ins = raw.prepare(
      `INSERT INTO manifests (seq, ${MANIFEST_COLUMNS}) VALUES (?, ${MANIFEST_PLACEHOLDERS})`,
    );
    const exp = raw.prepare(
      'INSERT INTO exposures (case_batch_id, case_line, trip_seq, doc_hash, found_at) VALUES (?, ?, ?, ?, ?)',
    );
    const ref = raw.prepare('INSERT INTO feed_batch_refs (ref, source, batch_id) VALUES (?, ?, ?)');
    const bat = raw.prepare(
      `INSERT INTO feed_batches (${BATCH_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const t0 = performance.now();
    for (const b of batches) {
      raw.transaction(() => {
        for (const row of rowsOf(b, hashes, ids(b.offset))) {
          ins.run(row);
          const seq = row[0] as number;
          if (seq % EXPOSURE_EVERY === 0) exp.run(exposure(seq, row[9] ?? null));
        }
        ref.run(b.ref, 'railway', `rail-${String(b.ref)}`);
        bat.run(batchRow(b));
      })();
      progress('fill', b.seqTo, ROWS);
    }
    fillSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    for (const ddl of [...MANIFEST_INDEXES, 'CREATE INDEX exposures_trip ON exposures (trip_seq)'])
      raw.exec(ddl);
    raw.exec('ANALYZE');
    raw.pragma('wal_checkpoint(TRUNCATE)');
    indexSeconds = (performance.now() - t1) / 1000;
    raw.close();
  } else {
    const client = await rawPostgres(hub);
    await client.query('DROP INDEX manifests_journey; DROP INDEX manifests_doc; DROP INDEX exposures_trip');
    const t0 = performance.now();
    for (const b of batches) {
      const exposures: BatchValue[][] = [];
      await copyRows(
        client,
        'manifests',
        `seq, ${MANIFEST_COLUMNS}`,
        (function* () {
          for (const row of rowsOf(b, hashes, ids(b.offset))) {
            const seq = row[0] as number;
            if (seq % EXPOSURE_EVERY === 0) exposures.push(exposure(seq, row[9] ?? null));
            yield row;
          }
        })(),
      );
      await copyRows(
        client,
        'exposures',
        'case_batch_id, case_line, trip_seq, doc_hash, found_at',
        exposures,
      );
      await client.query('INSERT INTO feed_batch_refs (ref, source, batch_id) VALUES ($1, $2, $3)', [
        b.ref,
        'railway',
        `rail-${String(b.ref)}`,
      ]);
      await copyRows(client, 'feed_batches', BATCH_COLUMNS, [batchRow(b)]);
      progress('fill', b.seqTo, ROWS);
    }
    fillSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    for (const ddl of [...MANIFEST_INDEXES, 'CREATE INDEX exposures_trip ON exposures (trip_seq)'])
      await client.query(ddl);
    for (const table of ['manifests', 'exposures', 'feed_batches'])
      await client.query(`VACUUM ANALYZE ${table}`);
    indexSeconds = (performance.now() - t1) / 1000;
    await client.end();
  }
  return { fillSeconds, indexSeconds };
}

/** The repository, with every chunk of manifests timed. */
class TimedRepository extends RetentionRepository {
  readonly chunkMs: number[] = [];
  override async deleteManifests(
    ...args: Parameters<RetentionRepository['deleteManifests']>
  ): Promise<number> {
    const t0 = performance.now();
    const n = await super.deleteManifests(...args);
    this.chunkMs.push(performance.now() - t0);
    return n;
  }
}

async function count(
  hub: Hub,
  cutoffDate: string,
): Promise<{ old: number; kept: number; exposures: number }> {
  const db = hub.parts.db;
  const n = async (q: Promise<{ n: number | string | bigint }>) => Number((await q).n);
  return {
    old: await n(
      db
        .selectFrom('manifests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('trip_date', '<', cutoffDate)
        .executeTakeFirstOrThrow(),
    ),
    kept: await n(
      db
        .selectFrom('manifests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('trip_date', '>=', cutoffDate)
        .executeTakeFirstOrThrow(),
    ),
    exposures: await n(
      db
        .selectFrom('exposures')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ),
  };
}

const lines: string[] = [];
for (const engine of ENGINES as ('sqlite' | 'postgres')[]) {
  await withHub(engine, 'retention', async (hub) => {
    console.log(`${engine}: ${fmt(ROWS)} manifest rows, 40 days, batches of ${fmt(BATCH)}`);
    const batches = plan();
    const { fillSeconds, indexSeconds } = await fill(hub, batches);
    const cutoffDate = dayOf(-hub.parts.config.retention.travelDays);
    const before = await count(hub, cutoffDate);
    console.log(
      `  filled in ${fillSeconds.toFixed(1)} s (${fmt(ROWS / fillSeconds)} rows/s), indexed in ${indexSeconds.toFixed(1)} s; ${fmt(before.old)} rows before ${cutoffDate}`,
    );
    const repo = new TimedRepository();
    const service = new RetentionService(hub.parts.db, engine, repo, hub.parts.config.retention);
    const t0 = performance.now();
    const report = (await service.purge(now)) ?? fail('the purge was skipped');
    const purgeSeconds = (performance.now() - t0) / 1000;
    const after = await count(hub, cutoffDate);
    if (report.railway !== before.old || after.old !== 0 || after.kept !== before.kept)
      fail(`purged ${String(report.railway)} of ${String(before.old)}; left ${String(after.old)} old rows`);
    const rate = report.railway / purgeSeconds;
    const fillRate = ROWS / fillSeconds;
    const longest = Math.max(...repo.chunkMs);
    const sorted = [...repo.chunkMs].sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? NaN;
    console.log(
      `  purged ${fmt(report.railway)} rows (and ${fmt(before.exposures - after.exposures)} exposures) in ${purgeSeconds.toFixed(1)} s: ${fmt(rate)} rows/s, ${(rate / fillRate).toFixed(2)} × the fill; chunk p99 ${p99.toFixed(0)} ms, longest ${longest.toFixed(0)} ms`,
    );
    lines.push(
      `| ${engine} | ${fmt(ROWS)} | ${fmt(fillRate)} | ${fmt(report.railway)} | ${purgeSeconds.toFixed(1)} | ${fmt(rate)} | ${(rate / fillRate).toFixed(2)} | ${p99.toFixed(0)} | ${longest.toFixed(0)} |`,
    );
  });
}

const target = process.env.BENCH_WRITE;
if (
  target &&
  !writeBlock(target, 'retention.bench', machine(), [
    '| engine | rows | fill rows/s (baseline) | rows purged | purge s | purged rows/s | ratio to fill | chunk p99 ms | longest chunk ms |',
    '| ------ | ---- | ---------------------- | ----------- | ------- | ------------- | ------------- | ------------ | ---------------- |',
    ...lines,
  ])
)
  fail(`${target} has no retention.bench block`);
