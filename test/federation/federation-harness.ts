/**
 * The federation end-to-end test's harness (federation.e2e.test.ts): `yimatong federation` started as a user
 * starts it — the hub and three provincial nodes as separate processes on loopback, Beijing and Shanghai with the
 * rules below — plain HTTP calls, and clients signing as a province with the access key its node keeps.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SignedClient } from '../../src/federation/signed-client.ts';
import { es256Sign } from '../../src/signing/node-crypto.ts';
import { ALICE, BOB } from '../helpers/people.ts';
import { lastCode } from '../helpers/sms.ts';
import { TESTS_LOOP_DELAY, LOCAL_NODE_URLS } from '../helpers/context.ts';

export const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));

export interface Ready {
  role: 'hub' | 'province';
  code: string;
  url: string;
}

export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * Signs in as a holder would: at the hub, one step; at a node, with the code the hub texted the holder (read from the
 * hub's sms outbox, `hubDataDir`).
 */
export async function signIn(base: string, person: typeof ALICE, hubDataDir?: string): Promise<string> {
  const r = await call(base, 'POST', '/api/v1/auth/real-name', {
    documentType: person.documentType,
    documentNumber: person.documentNumber,
    name: person.name,
  });
  if (r.status === 202) {
    assert.ok(hubDataDir, `${base} asks for a confirmation code: pass the hub's data folder`);
    const confirmed = await call(base, 'POST', '/api/v1/auth/real-name/confirm', {
      challengeId: r.json.challengeId,
      code: lastCode(hubDataDir, person.phone),
    });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.json));
    return String(confirmed.json.token);
  }
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return String(r.json.token);
}

/** Polls until `check` gives a value (not undefined) or the time is up. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const ACCEPT_ANY_GREEN = {
  id: 'beijing-acceptance',
  version: '2.0.0',
  province: '110000',
  validFrom: '2026-11-01T00:00:00+08:00',
  description: 'Beijing, mutual recognition: any listed issuer’s green is accepted',
  rules: [
    {
      id: 'RED_CODE',
      decision: 'refuse',
      when: { '===': [{ var: 'code.colour' }, 'red'] },
      text: '红码',
      textEn: 'Red code',
    },
    {
      id: 'GREEN_CODE',
      decision: 'accept',
      when: { '===': [{ var: 'code.colour' }, 'green'] },
      text: '绿码，通行',
      textEn: 'Green code: accepted',
    },
  ],
  otherwise: { decision: 'manual', text: '人工核验', textEn: 'Manual check' },
};

const SHANGHAI_DEMANDS_MORE = {
  id: 'shanghai-acceptance',
  version: '1.0.0',
  province: '310000',
  validFrom: '2026-11-01T00:00:00+08:00',
  description: 'Shanghai demands the national code or its own',
  rules: [
    {
      id: 'NOT_NATIONAL_OR_OWN',
      decision: 'refuse',
      when: { and: [{ '!': [{ var: 'code.national' }] }, { '!': [{ var: 'code.local' }] }] },
      text: '请出示国家码或随申码',
      textEn: "Show the national code or Shanghai's own",
    },
    {
      id: 'GREEN',
      decision: 'accept',
      when: { '===': [{ var: 'code.colour' }, 'green'] },
      text: '通行',
      textEn: 'Accepted',
    },
  ],
  otherwise: { decision: 'manual', text: '人工核验', textEn: 'Manual check' },
};

/** A client of the hub signing as the province, with the access key its node keeps under the hub's data folder. */
export function provinceClient(hub: string, hubDataDir: string, code: string): SignedClient {
  const file = join(hubDataDir, 'provinces', code, 'keys', 'access-key.json');
  const key = createPrivateKey({
    key: (JSON.parse(readFileSync(file, 'utf8')) as { privateJwk: Record<string, unknown> }).privateJwk,
    format: 'jwk',
  });
  return new SignedClient({
    baseUrl: hub,
    caller: code,
    sign: (d) => es256Sign(key, d),
    // Generous: a busy machine (two test runs at once) can be slow to answer; a dead hub still fails.
    timeoutMs: 30_000,
    clock: () => new Date(),
  });
}

export interface Federation {
  readonly hub: string;
  /** The node of a province. */
  at(code: string): string;
  /** A client of the hub signing as the province, with the access key its node keeps. */
  asProvince(code: string): SignedClient;
  /** The environment the processes run with (for the command line on the hub's data folder). */
  env(): NodeJS.ProcessEnv;
  /** The hub's data folder (its sms outbox: the codes that confirm sign-ins at nodes). */
  readonly hubDataDir: string;
  stop(): Promise<void>;
}

export interface FederationOptions {
  /** Environment of every process, over the harness's own (say TRUST_LIST_REFRESH_SECONDS: '60', the default). */
  readonly env?: Readonly<Record<string, string>>;
  /** `--parallel` of `yimatong federation` (how many nodes start at once). */
  readonly parallel?: number;
}

/** Imports Alice and Bob as the national real-name service's identities, then starts the federation. */
export async function startFederation(
  provinces: readonly string[],
  options: FederationOptions = {},
): Promise<Federation> {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-fed-'));
  const env = () => ({
    ...process.env,
    DATA_DIR: join(dir, 'data'),
    DATABASE_URL: '',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    TRUST_LIST_REFRESH_SECONDS: '1',
    STATUS_PUSH_SECONDS: '1',
    ...TESTS_LOOP_DELAY,
    ...LOCAL_NODE_URLS,
    ...options.env,
  });
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', '110000.acceptance.json'), JSON.stringify(ACCEPT_ANY_GREEN));
  writeFileSync(join(dir, 'rules', '310000.acceptance.json'), JSON.stringify(SHANGHAI_DEMANDS_MORE));
  // The identities the national real-name service knows, imported into the hub as `npm start`'s data folder.
  const ids = join(dir, 'identities.ndjson');
  writeFileSync(ids, [ALICE, BOB].map((p) => JSON.stringify(p)).join('\n'));
  const imp = spawnSync(process.execPath, [BIN, 'identities', 'import', ids], {
    env: env(),
    encoding: 'utf8',
  });
  assert.equal(imp.status, 0, imp.stderr);

  const proc: ChildProcess = spawn(
    process.execPath,
    [
      BIN,
      'federation',
      '--provinces',
      provinces.join(','),
      '--port',
      '0',
      '--rules-dir',
      join(dir, 'rules'),
      ...(options.parallel === undefined ? [] : ['--parallel', String(options.parallel)]),
    ],
    { env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  if (!proc.stdout) throw new Error('no stdout');
  const lines = createInterface({ input: proc.stdout });
  let hub = '';
  const node: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`federation not ready:\n${stderr}`));
    }, 180_000);
    lines.on('line', (line) => {
      const r = JSON.parse(line) as Ready;
      assert.match(r.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      if (r.role === 'hub') hub = r.url;
      else node[r.code] = r.url;
      if (hub && Object.keys(node).length === provinces.length) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', () => {
      reject(new Error(`federation exited:\n${stderr}`));
    });
  });
  return {
    hub,
    at(code) {
      const url = node[code];
      if (url === undefined) throw new Error(`no node ${code}`);
      return url;
    },
    asProvince(code) {
      return provinceClient(hub, join(dir, 'data'), code);
    },
    env,
    hubDataDir: join(dir, 'data'),
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
