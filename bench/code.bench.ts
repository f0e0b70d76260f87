/**
 * Capacity benchmark of the code codec (docs/capacity.md): how close the codec's full sign and full verify come
 * to the raw `node:crypto` ES256 primitives they wrap. One process, one JavaScript thread.
 *
 *   npm run bench            (= node --import tsx bench/code.bench.ts)
 *
 * Full sign is what the code service does per code: a new claims object with a 16-byte cti from a RandomPool, then
 * `signCode` with the keystore's signer. Full verify is `verifyCode` (node:crypto provider) on a pool of distinct
 * valid tokens against a trust list built by the hub and loaded with `loadTrustList`; every result must be valid.
 *
 * Each measurement runs for a fixed time after a warm-up, three times, interleaved with the others (the order
 * rotates each round); the median is reported because the machine is shared and noisy. The ratios are a report:
 * the exit code is 0 whatever they are, and non-zero only if a token failed to verify.
 */
import { createPrivateKey, sign, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sigStructure } from '../src/codec/cose.ts';
import { CODE_LIFETIME_SECONDS, encodeClaims, signCode, type CodeClaims } from '../src/codec/token.ts';
import { loadTrustList, type TrustList } from '../src/codec/trust-list.ts';
import { verifyCode } from '../src/codec/verify.ts';
import { renderPng, renderSvg } from '../src/code/qr.ts';
import { readJson } from '../src/files/json-file.ts';
import { KeyStore } from '../src/signing/keystore.ts';
import { nodeCryptoProvider } from '../src/signing/node-crypto.ts';
import { RandomPool } from '../src/signing/random-pool.ts';
import { buildTrustList, HUB_NAME, HUB_NAME_EN } from '../src/signing/trust-list.service.ts';
import { sm2Benches } from './code-sm2.ts';

const MEASURE_MS = Number(process.env.BENCH_MS ?? 1500);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 500);
const QR_MEASURE_MS = Number(process.env.BENCH_QR_MS ?? 1000);
const ROUNDS = 3;
const VERIFY_POOL = 64;
const GOAL = 0.85;
/** Operations between two clock reads: keeps the clock out of the measurement. */
const BATCH = 16;
const ISSUER = 'CN';
const MASKED_NAME = '张*三';

// ---------------------------------------------------------------------------------------------------------
// Set-up: a real keyring on disk, the trust list the hub publishes, loaded as a checkpoint loads it.

const now = new Date();
const nowMs = now.getTime();
const keyDir = mkdtempSync(join(tmpdir(), 'ymt-bench-'));
process.on('exit', () => {
  rmSync(keyDir, { recursive: true, force: true });
});

const store = new KeyStore(keyDir);
store.ensure(now);
const keyring = store.read();
const signer = keyring.signer;
const doc = buildTrustList(keyring, now, {
  issuer: { iss: ISSUER, name: HUB_NAME, nameEn: HUB_NAME_EN },
  validityHours: 24,
  retentionSeconds: CODE_LIFETIME_SECONDS + 60,
});
const loaded = await loadTrustList(
  doc,
  { ...keyring.anchor.publicJwk, kid: keyring.anchor.kid },
  now,
  nodeCryptoProvider,
);
if (!loaded.ok) throw new Error(`trust list does not load: ${loaded.error}`);
const trustList: TrustList = loaded.trustList;

// The raw primitives use the very key the codec signs with (read back from the key file) and the public
// KeyObject the trust list cached for it.
const keyFile = readJson(store.signingFile) as {
  keys: { kid: string; retiredAt?: string; privateJwk: Record<string, unknown> }[];
};
const activeStored = keyFile.keys.find((k) => k.kid === keyring.activeKid);
if (!activeStored) throw new Error('active key not found in the key file');
const privateKey: KeyObject = createPrivateKey({ key: activeStored.privateJwk, format: 'jwk' });
const trusted = trustList.keys.get(keyring.activeKid);
if (!trusted) throw new Error('active key not in the trust list');
const publicKey = trusted.key as KeyObject;

const random = new RandomPool();

function freshClaims(): CodeClaims {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    iat,
    exp: iat + CODE_LIFETIME_SECONDS,
    cti: random.take(16),
    colour: 'green',
    maskedName: MASKED_NAME,
  };
}

/** Claims → QR text, exactly as the code service does it (random cti per code). */
function issue(): string {
  return signCode(freshClaims(), signer);
}

// A real Sig_structure, signed and verified by the raw benchmarks.
// sigStructure returns a view of a reused buffer: keep a copy.
const sampleSigStructure = sigStructure(signer.protectedHeader, encodeClaims(freshClaims())).slice();
const sampleSignature = sign('sha256', sampleSigStructure, { key: privateKey, dsaEncoding: 'ieee-p1363' });
if (!verify('sha256', sampleSigStructure, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sampleSignature)) {
  throw new Error('raw ES256 self-check failed');
}

let verifyFailures = 0;
function fail(detail: string): never {
  verifyFailures++;
  throw new Error(`verification failed: ${detail}`);
}

const verifyPool: string[] = Array.from({ length: VERIFY_POOL }, issue);
const tokenLength = verifyPool[0]?.length ?? 0;
let lastIssued = '';

// ---------------------------------------------------------------------------------------------------------
// The measurements. Every function runs BATCH operations.

let sink = 0;

function rawSign(): void {
  for (let i = 0; i < BATCH; i++) {
    sink += sign('sha256', sampleSigStructure, { key: privateKey, dsaEncoding: 'ieee-p1363' }).length;
  }
}

function rawVerify(): void {
  for (let i = 0; i < BATCH; i++) {
    if (!verify('sha256', sampleSigStructure, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sampleSignature))
      fail('raw ES256 verify returned false');
  }
}

function fullSign(): void {
  for (let i = 0; i < BATCH; i++) lastIssued = issue();
  sink += lastIssued.length;
}

// Information only (not in the ratios): the two halves of the full sign.
const claimsPool: CodeClaims[] = Array.from({ length: 1024 }, freshClaims);
let claimsIndex = 0;
function signCodeOnly(): void {
  for (let i = 0; i < BATCH; i++) {
    const c = claimsPool[claimsIndex] ?? freshClaims();
    claimsIndex = (claimsIndex + 1) % claimsPool.length;
    sink += signCode(c, signer).length;
  }
}
function ctiOnly(): void {
  for (let i = 0; i < BATCH; i++) sink += random.take(16).length;
}

let poolIndex = 0;
const verifyNow = nowMs;
async function fullVerify(): Promise<void> {
  for (let i = 0; i < BATCH; i++) {
    const text = verifyPool[poolIndex] ?? '';
    poolIndex = (poolIndex + 1) % VERIFY_POOL;
    const r = await verifyCode(text, trustList, verifyNow, { crypto: nodeCryptoProvider });
    if (!r.valid) fail(r.error);
    if (r.colour !== 'green' || r.maskedName !== MASKED_NAME) fail('wrong claims');
  }
}

/** Runs `fn` (BATCH operations a call) for `ms` milliseconds; returns operations per second. */
async function measure(fn: () => void | Promise<void>, ms: number, batch = BATCH): Promise<number> {
  let ops = 0;
  const start = performance.now();
  const end = start + ms;
  let t = start;
  do {
    await fn();
    ops += batch;
    t = performance.now();
  } while (t < end);
  return (ops * 1000) / (t - start);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

interface Bench {
  readonly name: string;
  readonly fn: () => void | Promise<void>;
  readonly samples: number[];
}

const benches: Bench[] = [
  { name: 'raw ES256 sign (node:crypto)', fn: rawSign, samples: [] },
  { name: 'raw ES256 verify (cached KeyObject)', fn: rawVerify, samples: [] },
  { name: 'full sign (new cti + claims → QR text)', fn: fullSign, samples: [] },
  { name: 'full verify (QR text → result)', fn: fullVerify, samples: [] },
];

const infoBenches: Bench[] = [
  { name: '  signCode alone (claims pre-built)', fn: signCodeOnly, samples: [] },
  { name: '  a 16-byte cti from the RandomPool', fn: ctiOnly, samples: [] },
];

// National cryptography (bench/code-sm2.ts): SM2 codes beside ES256, against OpenSSL's raw SM2 in the same run.
const runSm2 = process.env.BENCH_SM2 !== '0';
const sm2 = runSm2
  ? await sm2Benches({ batch: BATCH, issuer: ISSUER, maskedName: MASKED_NAME, freshClaims, fail })
  : undefined;

// QR rendering: extra information only. Each render gets a token it has never seen (qr.ts caches per token).
const qrPool: string[] = [];
let qrIndex = 0;
function nextQrToken(): string {
  const t = qrPool[qrIndex++];
  return t ?? issue();
}
async function qrSvg(): Promise<void> {
  sink += (await renderSvg(nextQrToken())).length;
}
async function qrPng(): Promise<void> {
  sink += (await renderPng(nextQrToken())).length;
}
const qrBenches: Bench[] = [
  { name: 'QR SVG render (uncached token)', fn: qrSvg, samples: [] },
  { name: 'QR PNG render (uncached token)', fn: qrPng, samples: [] },
];

// ---------------------------------------------------------------------------------------------------------

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`Yimatong code benchmark — ${new Date().toISOString()}`);
console.log(`Node ${process.version} (${process.platform}/${process.arch}), ${cpus().length} CPUs: ${cpu}`);
console.log(
  `token length ${tokenLength} characters; ${MEASURE_MS} ms per measurement, ${ROUNDS} rounds, median; ` +
    `verify pool ${VERIFY_POOL} distinct tokens`,
);

const interleaved = [...benches, ...infoBenches, ...(sm2?.benches ?? []), ...(sm2?.info ?? [])];
for (const b of interleaved) await measure(b.fn, WARMUP_MS);
for (let round = 0; round < ROUNDS; round++) {
  for (let j = 0; j < interleaved.length; j++) {
    const b = interleaved[(j + round) % interleaved.length];
    if (b) b.samples.push(await measure(b.fn, MEASURE_MS));
  }
  process.stdout.write(`  round ${round + 1}/${ROUNDS} done\n`);
}

// The last token the full-sign benchmark produced must verify too.
{
  const r = await verifyCode(lastIssued, trustList, Date.now(), { crypto: nodeCryptoProvider });
  if (!r.valid) fail(`a token from the sign benchmark: ${r.error}`);
  await sm2?.check();
}

const runQr = process.env.BENCH_QR !== '0';
if (runQr) {
  // Distinct tokens for every QR measurement, signed beforehand (up to 3 renders a millisecond; SVG ≈ 2 ms,
  // PNG ≈ 9 ms); should the pool run out, tokens are signed on the fly (≈ 0.05 ms, under 3 % of a render).
  const needed = 3 * (ROUNDS * QR_MEASURE_MS + WARMUP_MS);
  for (let i = 0; i < needed; i++) qrPool.push(issue());
  for (const b of qrBenches) await measure(b.fn, WARMUP_MS / 2, 1);
  for (let round = 0; round < ROUNDS; round++) {
    for (const b of qrBenches) b.samples.push(await measure(b.fn, QR_MEASURE_MS, 1));
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const pad = (s: string, n: number): string => s.padEnd(n);
const lpad = (s: string, n: number): string => s.padStart(n);

console.log('');
console.log(`${pad('measurement', 42)}${lpad('ops/s', 10)}${lpad('µs/op', 9)}   samples (ops/s)`);
for (const b of [...interleaved, ...(runQr ? qrBenches : [])]) {
  const m = median(b.samples);
  console.log(
    `${pad(b.name, 42)}${lpad(fmt(m), 10)}${lpad((1e6 / m).toFixed(1), 9)}   ${b.samples.map(fmt).join(' / ')}`,
  );
}

const [rs, rv, fs, fv] = benches.map((b) => median(b.samples));
const ratios = [
  { name: 'full sign / raw sign', value: (fs ?? 0) / (rs ?? 1) },
  { name: 'full verify / raw verify', value: (fv ?? 0) / (rv ?? 1) },
];
console.log('');
console.log(`${pad('ratio', 42)}${lpad('value', 10)}${lpad('goal', 9)}   result`);
for (const r of ratios) {
  console.log(
    `${pad(r.name, 42)}${lpad(r.value.toFixed(3), 10)}${lpad(`≥ ${GOAL}`, 9)}   ${r.value >= GOAL ? 'PASS' : 'BELOW'}`,
  );
}
if (sm2) {
  const [smRs, smRv, smFs, smFv] = sm2.benches.map((b) => median(b.samples));
  console.log(
    `(SM2) full sign / raw SM2 sign: ${((smFs ?? 0) / (smRs ?? 1)).toFixed(3)}; ` +
      `full verify / raw SM2 verify: ${((smFv ?? 0) / (smRv ?? 1)).toFixed(3)}; ` +
      `SM2 / ES256 full sign: ${((smFs ?? 0) / (fs ?? 1)).toFixed(3)}, full verify: ${((smFv ?? 0) / (fv ?? 1)).toFixed(3)}`,
  );
}
const [so, ro] = infoBenches.map((b) => median(b.samples));
console.log(
  `(info) signCode alone / raw sign: ${((so ?? 0) / (rs ?? 1)).toFixed(3)}; ` +
    `a cti from the pool costs ${(1e6 / (ro ?? 1)).toFixed(2)} µs`,
);
console.log('');
console.log(`token length: ${tokenLength} characters; Node ${process.version}`);
if (sink < 0) console.log(sink); // keeps the results alive

if (verifyFailures > 0) {
  console.error(`${verifyFailures} verification failure(s)`);
  process.exitCode = 1;
}
