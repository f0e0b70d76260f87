/**
 * What the audit log's lock costs (docs/capacity.md#audit-log): every access-history entry — a province's consent
 * look-up, a checkpoint's status look-up, a proxy's view — is chained into the audit log in its own transaction,
 * under the chain head's lock (src/audit/audit-log.repository.ts), so those writes are serialised. Measured per
 * engine with BENCH_CONCURRENCY writers at once for BENCH_MS each:
 *
 * - baseline: the same `access_events` row written in its own transaction, without the chain;
 * - chained in the act's transaction: `AccessHistoryRepository.record` given a transaction (as an act that writes
 *   gives it), one entry and one hold of the chain's lock per transaction;
 * - chained by group commit: `record` given the database (as an act that only reads gives it — a consent look-up):
 *   the entries that arrive while one transaction writes go together in the next.
 *
 * Reported as entries per second and the ratios to the baseline, measured in the same run. The chain is then
 * verified whole (`AuditService.verify`); a broken chain fails the run.
 *
 *   npm run bench:audit    (BENCH_MS, BENCH_CONCURRENCY, BENCH_ENGINES=sqlite|postgres; BENCH_WRITE=docs/capacity.md)
 */
import { accessHistoryRepository } from '../src/app/compose-family.ts';
import { inTransaction } from '../src/db/database.ts';
import { ENGINES, fail, fmt, withHub, type Hub } from './feeds-data.ts';
import { machine, writeBlock } from './report.ts';

const MS = Number(process.env.BENCH_MS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

/** Runs `write` from CONCURRENCY writers for MS; answers the writes per second. */
async function rate(write: (i: number) => Promise<void>): Promise<number> {
  let done = 0;
  const until = performance.now() + MS;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) await write(done++);
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

async function measure(
  hub: Hub,
): Promise<{ baseline: number; inAct: number; grouped: number; entries: number }> {
  const { db } = hub.parts;
  const history = accessHistoryRepository();
  const event = (i: number) => ({
    personId: `p${String(i % 1000)}`,
    at: Date.now(),
    actorKind: 'province' as const,
    actorRef: '440000',
    purpose: 'status.consent' as const,
  });
  // Warm both paths (prepared statements, pool connections) before measuring.
  for (let i = 0; i < 50; i++) await history.record(db, event(i));
  const baseline = await rate(async (i) => {
    const e = event(i);
    await inTransaction(db, async (trx) => {
      await trx
        .insertInto('access_events')
        .values({
          person_id: e.personId,
          at: e.at,
          actor_kind: e.actorKind,
          actor_ref: e.actorRef,
          purpose: e.purpose,
        })
        .execute();
    });
  });
  const inAct = await rate((i) => inTransaction(db, (trx) => history.record(trx, event(i))));
  const grouped = await rate((i) => history.record(db, event(i)));
  const check = await hub.parts.services.audit.verify();
  if (!check.ok) fail(`the chain does not verify after the run: ${JSON.stringify(check)}`);
  return { baseline, inAct, grouped, entries: check.checked };
}

const lines: string[] = [];
for (const engine of ENGINES as ('sqlite' | 'postgres')[]) {
  const r = await withHub(engine, 'audit', measure);
  const inAct = r.inAct / r.baseline;
  const grouped = r.grouped / r.baseline;
  console.log(
    `${engine}: ${String(CONCURRENCY)} writers, ${String(MS)} ms each: unchained ${fmt(r.baseline)}/s; chained in the act's transaction ${fmt(r.inAct)}/s (${inAct.toFixed(2)} ×), by group commit ${fmt(r.grouped)}/s (${grouped.toFixed(2)} ×); ${fmt(r.entries)} entries verified`,
  );
  lines.push(
    `| ${engine} | ${String(CONCURRENCY)} | ${fmt(r.baseline)} | ${fmt(r.inAct)} | ${inAct.toFixed(2)} | ${fmt(r.grouped)} | ${grouped.toFixed(2)} | ${fmt(r.entries)} |`,
  );
}

const target = process.env.BENCH_WRITE;
if (
  target &&
  !writeBlock(target, 'audit.bench', machine(), [
    '| engine | writers | entries/s unchained (baseline) | chained, one a transaction /s | ratio | chained, group commit /s | ratio | chain verified (entries) |',
    '| ------ | ------- | ------------------------------ | ----------------------------- | ----- | ------------------------ | ----- | ------------------------ |',
    ...lines,
  ])
)
  fail(`${target} has no audit.bench block`);
