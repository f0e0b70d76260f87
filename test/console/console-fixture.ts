/**
 * What the console's test files share: a real hub (inject) with the three roles' credentials, calls that assert
 * success or a coded refusal, and the pieces of state a test asks for — batches with quarantined records,
 * Guangdong enrolled with a certified key, one non-recognition report per province. Each test file starts its
 * own hub, so no file depends on another's order.
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CODE_LIFETIME_SECONDS } from '../../src/codec/token.ts';
import { signRequest } from '../../src/federation/request-signature.ts';
import type { FeedSource } from '../../src/feeds/feed-records.domain.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import national from '../../src/recognition/rule-sets/national.acceptance.json' with { type: 'json' };
import { KeyStore } from '../../src/signing/keystore.ts';
import { after, before } from 'node:test';
import { startApp, TestClock, type EngineName, type TestApp } from '../helpers/context.ts';
import { ALICE, BOB, register } from '../helpers/people.ts';

export interface ErrorBody {
  error: { code: string; details?: { field: string; code: string; message: string }[] };
}
export type Method = 'GET' | 'POST';

export const T0 = Date.parse('2026-11-22T02:00:00Z');
export const ALL_SECTIONS = [
  'area-risk',
  'status-entries',
  'rule-sets',
  'provinces',
  'trust-list',
  'reports',
  'corrections',
  'batches',
  'capacity',
];

/** An acceptance rule set document: the national one's rules under another id, province and time. */
export const ruleSet = (over: Record<string, unknown>) => ({
  ...national,
  id: 'guangdong-acceptance',
  ...over,
});

export interface ConsoleHub {
  readonly hub: TestApp;
  /** Credentials by name: operator, bj, gd (authorities), disabled, railway, railwayGd, aviation, revokedDepartment. */
  readonly token: Record<string, string>;
  readonly call: (
    who: string | undefined,
    method: Method,
    url: string,
    payload?: object,
  ) => Promise<LightMyRequestResponse>;
  /** Calls as `who` and asserts success; the answer. */
  readonly ok: <T>(who: string, method: Method, url: string, payload?: object) => Promise<T>;
  /** Calls as `who` and asserts the refusal's status and code; its body. */
  readonly fails: (
    who: string | undefined,
    method: Method,
    url: string,
    status: number,
    code: string,
    payload?: object,
  ) => Promise<ErrorBody>;
  readonly close: () => Promise<void>;
}

/** A hub at T0 with an operator, Beijing's and Guangdong's authorities, departments, and refused credentials. */
export async function startConsole(engine: EngineName): Promise<ConsoleHub> {
  const hub = await startApp(engine, { clock: new TestClock(T0) });
  const { consoleAccounts: accounts, departments } = hub.parts.services;
  const now = hub.clock.now();
  const token: Record<string, string> = {};
  token.operator = (await accounts.create('国家运营值班', null, now)).token;
  token.bj = (await accounts.create('北京市卫健委', '110000', now)).token;
  token.gd = (await accounts.create('广东省卫健委', '440000', now)).token;
  const gone = await accounts.create('离职人员', null, now);
  await accounts.disable(gone.accountId, now);
  token.disabled = gone.token;
  token.railway = (await departments.create('国铁集团', 'railway', null, now)).token;
  token.railwayGd = (await departments.create('广铁集团', 'railway', '440000', now)).token;
  token.aviation = (await departments.create('民航局', 'aviation', null, now)).token;
  const revoked = await departments.create('旧凭证', 'railway', null, now);
  await departments.revoke(revoked.departmentId, now);
  token.revokedDepartment = revoked.token;

  const call = (
    who: string | undefined,
    method: Method,
    url: string,
    payload?: object,
  ): Promise<LightMyRequestResponse> =>
    hub.app.inject({
      method,
      url: `/api/v1/console${url}`,
      headers: who === undefined ? {} : { authorization: `Bearer ${token[who] ?? who}` },
      ...(payload === undefined ? {} : { payload }),
    });
  return {
    hub,
    token,
    call,
    ok: async <T>(who: string, method: Method, url: string, payload?: object): Promise<T> => {
      const res = await call(who, method, url, payload);
      assert.ok(res.statusCode < 300, `${who} ${method} ${url}: ${res.statusCode.toString()} ${res.body}`);
      return res.json<T>();
    },
    fails: async (who, method, url, status, code, payload) => {
      const res = await call(who, method, url, payload);
      assert.equal(res.statusCode, status, `${String(who)} ${method} ${url}: ${res.body}`);
      const body = res.json<ErrorBody>();
      assert.equal(body.error.code, code, `${String(who)} ${method} ${url}`);
      return body;
    },
    close: () => hub.close(),
  };
}

/**
 * A console hub for the enclosing `describe`: started (then `setup`) before its tests, closed after them. The
 * object's members reach the hub once it has started.
 */
export function useConsole(engine: EngineName, setup?: (c: ConsoleHub) => Promise<void>): ConsoleHub {
  let started: ConsoleHub | undefined;
  const current = (): ConsoleHub => {
    if (!started) throw new Error('the console hub is used before it started');
    return started;
  };
  before(async () => {
    started = await startConsole(engine);
    await setup?.(started);
  });
  after(() => started?.close());
  return {
    get hub() {
      return current().hub;
    },
    get token() {
      return current().token;
    },
    call: (...a) => current().call(...a),
    ok: <T>(...a: Parameters<ConsoleHub['ok']>) => current().ok<T>(...a),
    fails: (...a) => current().fails(...a),
    close: () => current().close(),
  };
}

const ingest = (
  hub: TestApp,
  source: FeedSource,
  batchId: string,
  province: string | null,
  lines: string[],
) =>
  hub.parts.services.ingest.ingest(Readable.from([lines.join('\n')]), {
    source,
    format: 'ndjson',
    batchId,
    province,
    now: hub.clock.now(),
    by: { actorKind: 'system', actorRef: 'test' },
  });

/**
 * Beijing's railway batch `rail-bj` at T0 with two quarantined records holding personal data, Guangdong's
 * `rail-gd` a minute later, and a national aviation batch `air-1` a minute after that.
 */
export async function seedBatches({ hub }: ConsoleHub): Promise<void> {
  const onTrain = { documentType: 'id_card', trainNo: 'G1', date: '2026-11-20', seat: '01A' };
  await ingest(hub, 'railway', 'rail-bj', '110000', [
    JSON.stringify({ ...onTrain, documentNumber: BOB.documentNumber, carriage: 3 }),
    JSON.stringify({ ...onTrain, documentNumber: ALICE.documentNumber, carriage: 99 }),
    JSON.stringify({ ...onTrain, documentNumber: BOB.documentNumber, carriage: 3, phone: BOB.phone }),
  ]);
  hub.clock.advance(60);
  await ingest(hub, 'railway', 'rail-gd', '440000', [
    JSON.stringify({ ...onTrain, documentNumber: BOB.documentNumber, carriage: 4 }),
  ]);
  hub.clock.advance(60);
  await ingest(hub, 'aviation', 'air-1', null, [
    JSON.stringify({
      documentType: 'id_card',
      documentNumber: BOB.documentNumber,
      flightNo: 'CA1',
      date: '2026-11-20',
      seat: '12C',
    }),
  ]);
}

/** Guangdong enrolled, with one certified signing key uploaded through the province API; its kid. */
export async function enrolGuangdong({ hub }: ConsoleHub): Promise<string> {
  const store = new KeyStore(join(hub.dataDir, 'provinces', '440000', 'keys'), CODE_LIFETIME_SECONDS + 60);
  const gd = new ProvinceKeys(store, '440000');
  await hub.parts.services.provinces.enrol(gd.ensure(hub.clock.now()), hub.clock.now());
  const [certificate] = gd.certificates(store.read());
  assert.ok(certificate, 'a certificate');
  const url = '/api/v1/federation/signing-keys';
  const up = await hub.app.inject({
    method: 'POST',
    url,
    headers: signRequest(
      { method: 'POST', path: url, caller: '440000', body: { certificate } },
      gd.accessSigner(),
      hub.clock.now(),
    ),
    payload: { certificate },
  });
  assert.equal(up.statusCode, 200, up.body);
  return certificate.kid;
}

/** One non-recognition report for each province; the holder wrote a phone and an ID number. */
export async function openReports({ hub }: ConsoleHub): Promise<{ bjTicket: string; gdTicket: string }> {
  const personId = await register(hub.parts, BOB);
  const report = (region: string) =>
    hub.parts.services.tickets.reportNonRecognition(
      personId,
      {
        region,
        at: '2026-11-21T09:00:00+08:00',
        checkpointId: 'GATE-1',
        issuer: 'CN',
        description: `绿码被拒，电话 ${BOB.phone}，身份证 ${BOB.documentNumber}`,
      },
      hub.clock.now(),
    );
  return {
    bjTicket: (await report('110105')).ticketId,
    gdTicket: (await report('440305')).ticketId,
  };
}
