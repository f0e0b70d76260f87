/**
 * The data-hub benchmark's parts after ingest (feeds.bench.ts runs them): the exposure engine's pass over a health
 * batch, and the status read beside the raw SELECT of the same row.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { DEFAULT_EXPOSURE } from '../src/exposure/exposure.domain.ts';
import { ExposureService } from '../src/exposure/exposure.service.ts';
import { ExposuresRepository } from '../src/exposure/exposures.repository.ts';
import { FeedBatchesRepository } from '../src/feeds/feed-batches.repository.ts';
import { IngestService } from '../src/feeds/ingest.service.ts';
import { JourneysRepository } from '../src/feeds/journeys.repository.ts';
import { ruleSetName } from '../src/risk/risk-engine.ts';
import { medianBy } from './report.ts';
import {
  CASES,
  PEOPLE,
  TRAVELLERS,
  fail,
  fmt,
  idNumber,
  int,
  now,
  progress,
  rawSqlite,
  say,
  seconds,
  type Hub,
} from './feeds-data.ts';

/** An ingest that publishes without processing (the exposure pass is timed on its own). */
export function publishOnly(hub: Hub): IngestService {
  const { db, cipher, batchWriters, services } = hub.parts;
  return new IngestService(
    db,
    cipher,
    () => new Date(),
    batchWriters,
    new FeedBatchesRepository(),
    services.feedBatches,
    new JourneysRepository(),
  );
}

/** One exposure pass: BENCH_CASES new confirmed cases, published without processing, then processed alone. */
async function exposurePass(hub: Hub) {
  const service = publishOnly(hub);
  const picked = new Set<number>();
  while (picked.size < CASES) picked.add(int(TRAVELLERS));
  const body = [...picked]
    .map((i) =>
      JSON.stringify({
        documentType: 'id_card',
        documentNumber: idNumber(i),
        status: 'confirmed',
        at: now.toISOString(),
      }),
    )
    .join('\n');
  const batchId = `bench-cases-${randomBytes(4).toString('hex')}`;
  await service.ingest(Readable.from([body]), {
    source: 'health',
    format: 'ndjson',
    batchId,
    province: null,
    now,
    by: { actorKind: 'system', actorRef: 'bench' },
  });
  const exposure = new ExposureService(
    new ExposuresRepository(DEFAULT_EXPOSURE),
    DEFAULT_EXPOSURE,
    () => new Date(),
  );
  let flagged = 0;
  const s = await seconds(async () => {
    flagged = (await exposure.afterBatch(hub.parts.db, 'health', batchId)).exposures;
  });
  const caseTrips = await hub.parts.db
    .selectFrom('case_trips')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('case_batch_id', '=', batchId)
    .executeTakeFirstOrThrow();
  const flags = await hub.parts.db
    .selectFrom('exposures')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('case_batch_id', '=', batchId)
    .executeTakeFirstOrThrow();
  if (Number(caseTrips.n) === 0 || Number(flags.n) === 0) fail('the cases travelled with nobody');
  if (flagged !== Number(flags.n)) fail(`${flagged} exposures reported, ${flags.n} stored`);
  return { seconds: s, caseTrips: Number(caseTrips.n), exposures: Number(flags.n) };
}

/** Three passes, each with cases of its own (a pass flags its batch's co-travellers once: it cannot be re-run). */
export async function exposureBench(hub: Hub) {
  const passes = [];
  for (let i = 1; i <= 3; i++) {
    const p = await exposurePass(hub);
    say(
      `sqlite exposure pass ${i}: ${CASES} cases → ${fmt(p.caseTrips)} case trips, ${fmt(p.exposures)} exposures in ${p.seconds.toFixed(2)} s`,
    );
    passes.push(p);
  }
  return medianBy(passes, (p) => p.seconds) ?? fail('no exposure pass');
}

export async function statusBench(hub: Hub) {
  const raw = rawSqlite(hub);
  const t0 = performance.now();
  // Stored under the rule set in force, as the hub stores them: a snapshot of another rule set is computed again
  // (and written) by every read, which is what an earlier version of this benchmark measured by mistake.
  const ruleSet = ruleSetName(await hub.parts.services.statusRuleSets.inForce(now));
  const computed = now.getTime() - 60_000;
  const expires = now.getTime() + 3600_000;
  const ins = raw.prepare(
    'INSERT INTO status_snapshots (person_id, colour, reasons, rule_set, declared, computed_at, expires_at) VALUES (?, ?, ?, ?, 1, ?, ?)',
  );
  const reasons = JSON.stringify([
    {
      code: 'CO_TRAVEL',
      text: '同行密接',
      textEn: 'co-travel',
      evidence: { source: 'railway', batchId: 'b', record: 1 },
    },
  ]);
  const personId = (i: number) => `p${String(i).padStart(10, '0')}`;
  for (let i = 0; i < PEOPLE; i += 200_000) {
    raw.transaction(() => {
      for (let j = i; j < Math.min(PEOPLE, i + 200_000); j++) {
        const yellow = j % 50 === 0;
        ins.run(
          personId(j),
          yellow ? 'yellow' : 'green',
          yellow ? reasons : '[]',
          ruleSet,
          computed,
          expires,
        );
      }
    })();
    progress('snapshots', Math.min(PEOPLE, i + 200_000), PEOPLE);
  }
  console.log(
    `  prefill: ${fmt(PEOPLE)} status snapshots in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  const lookups = Array.from({ length: 20_000 }, () => personId(int(PEOPLE)));
  const select = raw.prepare('SELECT * FROM status_snapshots WHERE person_id = ?');
  const timed = async (fn: (id: string) => unknown) => {
    for (const id of lookups.slice(0, 2000)) await fn(id); // warm-up
    const times: number[] = [];
    for (const id of lookups) {
      const t = performance.now();
      await fn(id);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return {
      p50: times[Math.floor(times.length * 0.5)] ?? NaN,
      p99: times[Math.floor(times.length * 0.99)] ?? NaN,
    };
  };
  const runs = [];
  for (let round = 1; round <= 3; round++) {
    const rawTimes = await timed((id) => {
      if (!select.get(id)) fail(`no snapshot ${id}`);
    });
    const serviceTimes = await timed(async (id) => {
      const s = await hub.parts.services.status.current(id, now);
      if (s.colour !== 'green' && s.colour !== 'yellow') fail('colour');
    });
    const ratio = serviceTimes.p99 / rawTimes.p99;
    say(
      `sqlite status read round ${round}: StatusService.current p50 ${us(serviceTimes.p50)}, p99 ${us(serviceTimes.p99)}; ` +
        `raw SELECT p50 ${us(rawTimes.p50)}, p99 ${us(rawTimes.p99)}; p99 ${ratio.toFixed(2)} × raw`,
    );
    runs.push({ raw: rawTimes, service: serviceTimes, ratio });
  }
  // Every read was answered from its snapshot: none was computed again and written.
  const rewritten = raw
    .prepare<[number], { n: number }>('SELECT count(*) AS n FROM status_snapshots WHERE computed_at != ?')
    .get(computed);
  if (rewritten?.n !== 0) fail(`${String(rewritten?.n)} snapshots were computed again by a status read`);
  raw.close();
  return medianBy(runs, (r) => r.ratio) ?? fail('no status round');
}

export const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
