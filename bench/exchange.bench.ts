/**
 * The status exchange (docs/federation.md#status-exchange), measured: a hub and Guangdong's node in this process,
 * talking over loopback HTTP as two machines would, on SQLite, with the exchange loop as `yimatong serve` runs it
 * (every STATUS_PUSH_SECONDS).
 *
 * 1. Lag: BENCH_HOLDERS holders (1000) sign in at the node as people do (the real-name check, the code the hub
 *    texts them) and declare. Then an operator records a finding for each at the hub (a status entry), one by one
 *    at random moments over BENCH_SPREAD_SECONDS (20). A holder's lag is from their entry's creation to the moment
 *    the node stored the national status carrying it — from then on the node's next code for them carries it
 *    (checked for a sample). Reported as p50 / p90 / p99 / max.
 * 2. Cost of the national lookup on the node's apply path: the node's code application with its status computed
 *    afresh (a cold snapshot: the holder's evidence just changed) with the national lookup, against the same path
 *    built without it, interleaved in rounds in the same run; and the same with a warm snapshot (the common case,
 *    where the lookup is not made at all).
 *
 *   npm run bench:exchange        (writes docs/federation.md between its markers)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compose, type Parts } from '../src/app/compose.ts';
import { CodeService } from '../src/code/code.service.ts';
import { CodesRepository } from '../src/code/codes.repository.ts';
import { loadConfig } from '../src/config/config.ts';
import { buildApp } from '../src/http/app.ts';
import { parseDocument, type DocumentRef } from '../src/identity/document.domain.ts';
import { idCardCheckChar } from '../src/identity/id-card.domain.ts';
import { NationalStatusRepository } from '../src/province-node/national-status.repository.ts';
import { activeKeySigning } from '../src/signing/code-signing.ts';
import { StatusService } from '../src/status/status.service.ts';
import { HEALTHY_DECLARATION, machine, writeBlock } from './report.ts';

const HOLDERS = Number(process.env.BENCH_HOLDERS ?? 1000);
const SPREAD_S = Number(process.env.BENCH_SPREAD_SECONDS ?? 20);
const APPLY_MS = Number(process.env.BENCH_MS ?? 1500);
const ROUNDS = 3;
const SAMPLE = 20;

const log = (s: string) => {
  process.stderr.write(`${s}\n`);
};

const dir = mkdtempSync(join(tmpdir(), 'ymt-bench-exchange-'));
const env = { DEMO_DATA: 'false', LOG_LEVEL: 'silent', NODE_URLS_ALLOW_LOCAL: 'true' };
const hubConfig = loadConfig({ ...env, DATA_DIR: join(dir, 'hub') });
const hub = await compose(hubConfig);
const hubApp = await buildApp(hub);
await hubApp.listen({ port: 0, host: '127.0.0.1' });
const portOf = (app: typeof hubApp) => {
  const a = app.server.address();
  if (a === null || typeof a !== 'object') throw new Error('not listening');
  return a.port;
};
const hubUrl = `http://127.0.0.1:${String(portOf(hubApp))}`;
const node = await compose(loadConfig({ ...env, DATA_DIR: join(dir, 'node') }), {
  province: { code: '440000', hubUrl },
});
if (!node.node) throw new Error('not a node');
await hub.services.provinces.enrol(node.node.life.keys.enrolment(), new Date());
const nodeApp = await buildApp(node);
await nodeApp.listen({ port: 0, host: '127.0.0.1' });
await node.node.life.start(`http://127.0.0.1:${String(portOf(nodeApp))}`);

async function close() {
  await hub.hubExchange?.stop();
  await nodeApp.close();
  await node.close();
  await hubApp.close();
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------
// The holders: known to the hub's real-name service, signed in at the node, declared.

interface Holder {
  readonly doc: DocumentRef;
  readonly phone: string;
  readonly token: string;
  readonly nodePersonId: string;
}

function person(i: number) {
  const day = String((i % 28) + 1).padStart(2, '0');
  const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
  const first17 = `440305${String(1960 + (i % 40))}${month}${day}${String(i % 1000).padStart(3, '0')}`;
  return {
    documentNumber: first17 + idCardCheckChar(first17),
    name: `测试${String(i)
      .split('')
      .map((d) => '零一二三四五六七八九'[Number(d)])
      .join('')}`,
    phone: `139${String(10_000_000 + i).slice(-8)}`,
  };
}

const smsFile = join(hubConfig.dataDir, 'sms-outbox.ndjson');
function lastCodeFor(phone: string): string {
  const lines = readFileSync(smsFile, 'utf8').trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = JSON.parse(lines[i] ?? '{}') as { phone?: string; text?: string };
    const code = m.phone === phone ? /(\d{6})/.exec(m.text ?? '')?.[1] : undefined;
    if (code) return code;
  }
  throw new Error(`no code for ${phone}`);
}

async function signUp(i: number): Promise<Holder> {
  const p = person(i);
  const doc = parseDocument('id_card', p.documentNumber, 'CHN', new Date().toISOString().slice(0, 10));
  if (!doc.ok) throw new Error(`bad number ${p.documentNumber}`);
  await hub.repositories.persons.upsert(hub.db, { doc: doc.value, name: p.name, phone: p.phone }, Date.now());
  const started = await nodeApp.inject({
    method: 'POST',
    url: '/api/v1/auth/real-name',
    payload: { documentType: 'id_card', documentNumber: p.documentNumber, name: p.name },
  });
  if (started.statusCode !== 202) throw new Error(`sign-in: ${started.body}`);
  const confirmed = await nodeApp.inject({
    method: 'POST',
    url: '/api/v1/auth/real-name/confirm',
    payload: { challengeId: started.json<{ challengeId: string }>().challengeId, code: lastCodeFor(p.phone) },
  });
  if (confirmed.statusCode !== 200) throw new Error(`confirm: ${confirmed.body}`);
  const token = confirmed.json<{ token: string }>().token;
  const declared = await nodeApp.inject({
    method: 'POST',
    url: '/api/v1/me/declaration',
    headers: { authorization: `Bearer ${token}` },
    payload: { ...HEALTHY_DECLARATION, phone: p.phone },
  });
  if (declared.statusCode !== 201) throw new Error(`declaration: ${declared.body}`);
  const at = await node.repositories.persons.findByDocument(node.db, doc.value);
  if (!at) throw new Error('not at the node');
  return { doc: doc.value, phone: p.phone, token, nodePersonId: at.personId };
}

const t0 = performance.now();
const holders: Holder[] = [];
for (let i = 0; i < HOLDERS; i++) {
  holders.push(await signUp(i));
  if ((i + 1) % 100 === 0) log(`signed in and declared at the node: ${String(i + 1)} / ${String(HOLDERS)}`);
}
log(`set-up: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// ---------------------------------------------------------------------------------------------------------
// 2. The apply path with and without the national lookup (measured first, on a quiet exchange).

function codeService(parts: Parts, withNational: boolean): CodeService {
  const r = parts.repositories;
  const status = new StatusService(
    parts.db,
    r.persons,
    r.declarations,
    r.statusEntries,
    r.evidence,
    r.snapshots,
    parts.services.statusRuleSets,
    parts.config.statusSnapshotTtlSeconds,
    withNational ? new NationalStatusRepository() : undefined,
  );
  return new CodeService(
    parts.db,
    new CodesRepository(),
    r.persons,
    status,
    activeKeySigning(parts.keys),
    '440000',
  );
}

const paths = { with: codeService(node, true), without: codeService(node, false) };
async function applies(path: CodeService, cold: boolean): Promise<number> {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < APPLY_MS) {
    const h = holders[n % holders.length];
    if (!h) throw new Error('no holder');
    if (cold) await node.repositories.snapshots.invalidate(node.db, h.nodePersonId);
    // The snapshot as a holder's session read brings it (src/auth/sessions.repository.ts).
    const snapshot = await node.repositories.snapshots.get(node.db, h.nodePersonId);
    await path.apply(h.nodePersonId, snapshot, new Date());
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const rates: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const);
  for (const cold of [true, false])
    for (const which of order)
      (rates[`${which}/${String(cold)}`] ??= []).push(await applies(paths[which], cold));
}
const rate = (which: string, cold: boolean) => median(rates[`${which}/${String(cold)}`] ?? []);
log('apply path measured');

// ---------------------------------------------------------------------------------------------------------
// 1. The lag from a finding at the hub to the node.

hub.hubExchange?.start(log);
const created = new Map<string, number>();
const startAt = Date.now();
const moments = holders.map(() => Math.random() * SPREAD_S * 1000).sort((a, b) => a - b);
for (const [i, h] of holders.entries()) {
  const wait = startAt + (moments[i] ?? 0) - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  created.set(h.nodePersonId, Date.now());
  await hub.services.statusEntries.add(
    { role: 'operator', name: 'bench' },
    {
      documentType: 'id_card',
      documentNumber: h.doc.number,
      kind: 'CLOSE_CONTACT_OBSERVED',
      reason: 'bench',
    },
    new Date(),
  );
}
log(`findings recorded at the hub over ${String(SPREAD_S)} s`);
const lags: number[] = [];
const deadline = Date.now() + 10 * 60_000;
for (;;) {
  const rows = await node.db
    .selectFrom('national_status')
    .select(['person_id', 'colour', 'received_at'])
    .where('colour', '!=', 'green')
    .execute();
  if (rows.length >= holders.length) {
    for (const r of rows) lags.push(r.received_at - (created.get(r.person_id) ?? r.received_at));
    break;
  }
  if (Date.now() > deadline)
    throw new Error(`only ${String(rows.length)} of ${String(holders.length)} arrived`);
  await new Promise((r) => setTimeout(r, 200));
}
let sampleOk = 0;
for (const h of holders.slice(0, SAMPLE)) {
  const res = await nodeApp.inject({
    method: 'POST',
    url: '/api/v1/me/code',
    headers: { authorization: `Bearer ${h.token}` },
  });
  if (res.statusCode === 200 && res.json<{ colour: string }>().colour !== 'green') sampleOk++;
}
await close();
if (sampleOk !== Math.min(SAMPLE, holders.length)) {
  log(`FAIL: only ${String(sampleOk)} of the sampled holders got a code with the hub's finding`);
  process.exitCode = 1;
}

lags.sort((a, b) => a - b);
const pct = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? 0;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const per = (r: number) => `${r.toFixed(0)}/s`;
const lines = [
  `- lag from a finding at the hub to the node (${String(lags.length)} holders, findings spread over ${String(SPREAD_S)} s, STATUS_PUSH_SECONDS ${String(hubConfig.statusPushSeconds)}): p50 ${s(pct(0.5))}, p90 ${s(pct(0.9))}, p99 ${s(pct(0.99))}, max ${s(lags.at(-1) ?? 0)}; the next code of each of ${String(SAMPLE)} sampled holders carried it`,
  `- the node's code application (\`POST /api/v1/me/code\`'s service; the holder's unexpired code is shown again), status computed afresh: ${per(rate('with', true))} with the national lookup, ${per(rate('without', true))} without = ${(rate('without', true) / rate('with', true)).toFixed(2)} × the time without it`,
  `- the same with a fresh snapshot (no lookup made): ${per(rate('with', false))} with, ${per(rate('without', false))} without = ${(rate('without', false) / rate('with', false)).toFixed(2)} ×`,
];
for (const l of lines) process.stdout.write(`${l}\n`);
const target = process.env.BENCH_WRITE;
if (target && process.exitCode !== 1)
  writeBlock(
    target,
    'exchange.bench',
    `this machine (${machine()}), SQLite, hub and node in one process over loopback HTTP`,
    lines,
  );
