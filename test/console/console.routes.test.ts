/**
 * The operations console through the real app (inject), on SQLite and PostgreSQL: sign-in of the three roles,
 * each role's sections and its part inside them (403 elsewhere), coded validation, an operator's area risk
 * entry turning a holder yellow through the feed ingestion, rule sets checked and published, key revocation,
 * reports, batches and their quarantine masked, capacity.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { CODE_LIFETIME_SECONDS } from '../../src/codec/token.ts';
import type { ConsoleAccountsService } from '../../src/console/console-accounts.service.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { signRequest } from '../../src/federation/request-signature.ts';
import type { FeedSource } from '../../src/feeds/feed-records.domain.ts';
import { maskIdNumber, maskPhone } from '../../src/privacy/masking.ts';
import national from '../../src/recognition/rule-sets/national.acceptance.json' with { type: 'json' };
import baseline from '../../src/risk/baseline.rule-set.json' with { type: 'json' };
import { KeyStore } from '../../src/signing/keystore.ts';
import { ENGINES, startApp, TestClock, type TestApp } from '../helpers/context.ts';
import { sendFeed } from '../helpers/feeds.ts';
import {
  ALICE,
  BOB,
  bearer,
  declaredHolder,
  HEALTHY_DECLARATION,
  idNumber,
  register,
  signIn,
} from '../helpers/people.ts';

interface ErrorBody {
  error: { code: string; details?: { field: string; code: string; message: string }[] };
}
type Method = 'GET' | 'POST';

const T0 = Date.parse('2026-11-22T02:00:00Z');
const ALL_SECTIONS = ['area-risk', 'rule-sets', 'provinces', 'trust-list', 'reports', 'batches', 'capacity'];

/** An acceptance rule set document: the national one's rules under another id, province and time. */
const ruleSet = (over: Record<string, unknown>) => ({ ...national, id: 'guangdong-acceptance', ...over });

for (const engine of ENGINES) {
  describe(`operations console (${engine})`, () => {
    let hub: TestApp;
    let accounts: ConsoleAccountsService;
    const token: Record<string, string> = {};
    let gdKid: string;
    let bjTicket: string;
    let gdTicket: string;

    const call = (who: string | undefined, method: Method, url: string, payload?: object) =>
      hub.app.inject({
        method,
        url: `/api/v1/console${url}`,
        headers: who === undefined ? {} : { authorization: `Bearer ${token[who] ?? who}` },
        ...(payload === undefined ? {} : { payload }),
      });
    const ok = async <T>(who: string, method: Method, url: string, payload?: object): Promise<T> => {
      const res = await call(who, method, url, payload);
      assert.ok(res.statusCode < 300, `${who} ${method} ${url}: ${res.statusCode.toString()} ${res.body}`);
      return res.json<T>();
    };
    const fails = async (
      who: string | undefined,
      method: Method,
      url: string,
      status: number,
      code: string,
      payload?: object,
    ): Promise<ErrorBody> => {
      const res = await call(who, method, url, payload);
      assert.equal(res.statusCode, status, `${String(who)} ${method} ${url}: ${res.body}`);
      const body = res.json<ErrorBody>();
      assert.equal(body.error.code, code, `${String(who)} ${method} ${url}`);
      return body;
    };
    const ingest = (source: FeedSource, batchId: string, province: string | null, lines: string[]) =>
      hub.parts.services.ingest.ingest(Readable.from([lines.join('\n')]), {
        source,
        format: 'ndjson',
        batchId,
        province,
        now: hub.clock.now(),
      });

    before(async () => {
      hub = await startApp(engine, { clock: new TestClock(T0) });
      accounts = hub.parts.services.consoleAccounts;
      const now = hub.clock.nowMs;
      token.operator = (await accounts.create('国家运营值班', null, new Date(now))).token;
      token.bj = (await accounts.create('北京市卫健委', '110000', new Date(now))).token;
      token.gd = (await accounts.create('广东省卫健委', '440000', new Date(now))).token;
      const gone = await accounts.create('离职人员', null, new Date(now));
      await accounts.disable(gone.accountId, new Date(now));
      token.disabled = gone.token;
      token.railway = (
        await hub.parts.services.departments.create('国铁集团', 'railway', null, new Date(now))
      ).token;
      token.railwayGd = (
        await hub.parts.services.departments.create('广铁集团', 'railway', '440000', new Date(now))
      ).token;
      token.aviation = (
        await hub.parts.services.departments.create('民航局', 'aviation', null, new Date(now))
      ).token;
      const revoked = await hub.parts.services.departments.create('旧凭证', 'railway', null, new Date(now));
      await hub.parts.services.departments.revoke(revoked.departmentId, new Date(now));
      token.revokedDepartment = revoked.token;

      // Batches: Beijing's railway batch with two quarantined records holding personal data, Guangdong's, and
      // a national aviation batch.
      const onTrain = { documentType: 'id_card', trainNo: 'G1', date: '2026-11-20', seat: '01A' };
      await ingest('railway', 'rail-bj', '110000', [
        JSON.stringify({ ...onTrain, documentNumber: BOB.documentNumber, carriage: 3 }),
        JSON.stringify({ ...onTrain, documentNumber: ALICE.documentNumber, carriage: 99 }),
        JSON.stringify({ ...onTrain, documentNumber: BOB.documentNumber, carriage: 3, phone: BOB.phone }),
      ]);
      hub.clock.advance(60);
      await ingest('railway', 'rail-gd', '440000', [
        JSON.stringify({ ...onTrain, documentNumber: BOB.documentNumber, carriage: 4 }),
      ]);
      hub.clock.advance(60);
      await ingest('aviation', 'air-1', null, [
        JSON.stringify({
          documentType: 'id_card',
          documentNumber: BOB.documentNumber,
          flightNo: 'CA1',
          date: '2026-11-20',
          seat: '12C',
        }),
      ]);

      // Guangdong enrolled, with one certified signing key uploaded through the province API.
      const store = new KeyStore(
        join(hub.dataDir, 'provinces', '440000', 'keys'),
        CODE_LIFETIME_SECONDS + 60,
      );
      const gd = new ProvinceKeys(store, '440000');
      await hub.parts.services.provinces.enrol(gd.ensure(hub.clock.now()), new Date(hub.clock.nowMs));
      const [certificate] = gd.certificates(store.read());
      assert.ok(certificate, 'a certificate');
      gdKid = certificate.kid;
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

      // One non-recognition report for each province; the holder wrote a phone and an ID number.
      const personId = await register(hub.parts, BOB);
      const report = (province: string, region: string) =>
        hub.parts.repositories.tickets.open(
          hub.parts.db,
          {
            kind: 'non-recognition',
            personId,
            province,
            region,
            details: {
              at: '2026-11-21T09:00:00+08:00',
              checkpointId: 'GATE-1',
              issuer: 'CN',
              description: `绿码被拒，电话 ${BOB.phone}，身份证 ${BOB.documentNumber}`,
            },
          },
          hub.clock.nowMs,
        );
      bjTicket = (await report('110000', '110105')).ticketId;
      gdTicket = (await report('440000', '440305')).ticketId;
    });
    after(() => hub.close());

    test('without, with a wrong, a disabled or a revoked credential: 401 before anything is read', async () => {
      await fails(undefined, 'GET', '/me', 401, 'YMT_ERR_CONSOLE_UNAUTHENTICATED');
      for (const who of [
        `ymto_${'A'.repeat(43)}`,
        `ymtd_${'A'.repeat(43)}`,
        'not-a-token',
        'disabled',
        'revokedDepartment',
      ]) {
        await fails(who, 'GET', '/me', 401, 'YMT_ERR_CONSOLE_UNAUTHENTICATED');
      }
      // A holder's session is not a console credential.
      await fails(
        await declaredHolder(hub, { ...BOB }),
        'GET',
        '/me',
        401,
        'YMT_ERR_CONSOLE_UNAUTHENTICATED',
      );
      // The credential is checked before the body: a bad body without one is still a 401.
      await fails(undefined, 'POST', '/area-risk', 401, 'YMT_ERR_CONSOLE_UNAUTHENTICATED', { level: 'x' });
    });

    test('each role says who it is and which sections it sees', async () => {
      assert.deepEqual(await ok('operator', 'GET', '/me'), {
        role: 'operator',
        name: '国家运营值班',
        may: ALL_SECTIONS,
      });
      assert.deepEqual(await ok('bj', 'GET', '/me'), {
        role: 'province',
        name: '北京市卫健委',
        province: '110000',
        may: ['rule-sets', 'provinces', 'reports', 'batches'],
      });
      assert.deepEqual(await ok('railway', 'GET', '/me'), {
        role: 'department',
        name: '国铁集团',
        source: 'railway',
        may: ['batches'],
      });
      assert.deepEqual(await ok('railwayGd', 'GET', '/me'), {
        role: 'department',
        name: '广铁集团',
        province: '440000',
        source: 'railway',
        may: ['batches'],
      });
    });

    test('a role outside its sections gets 403, before its body is read', async () => {
      const closed: [string, Method, string][] = [
        ['bj', 'GET', '/area-risk'],
        ['bj', 'POST', '/area-risk'],
        ['bj', 'GET', '/trust-list'],
        ['bj', 'GET', '/capacity'],
        ['bj', 'POST', `/provinces/110000/keys/${'A'.repeat(11)}/revoke`],
        ['railway', 'GET', '/area-risk'],
        ['railway', 'GET', '/rule-sets'],
        ['railway', 'POST', '/rule-sets/validate'],
        ['railway', 'GET', '/provinces'],
        ['railway', 'GET', '/reports'],
        ['railway', 'GET', '/trust-list'],
        ['railway', 'GET', '/capacity'],
      ];
      for (const [who, method, url] of closed) {
        await fails(who, method, url, 403, 'YMT_ERR_CONSOLE_FORBIDDEN', method === 'POST' ? {} : undefined);
      }
    });

    test("an operator's area risk entry goes through the feed ingestion and turns a holder who stayed there yellow", async () => {
      hub.clock.advance(60);
      const alice = await declaredHolder(hub, ALICE);
      await sendFeed(hub, 'telecom', 'tel-1', [
        {
          phone: ALICE.phone,
          cityCode: '420100',
          firstSeen: '2026-11-20T08:00:00+08:00',
          lastSeen: '2026-11-20T13:00:00+08:00',
        },
      ]);
      const health = async () =>
        (await hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(alice) })).json<{
          colour: string;
          reasons: { code: string; evidence: { source: string } }[];
        }>();
      assert.equal((await health()).colour, 'green');

      const set = await ok<{ batchId: string; accepted: number }>('operator', 'POST', '/area-risk', {
        areaCode: '420100',
        level: 'high',
        validFrom: '2026-11-19T00:00:00+08:00',
        validTo: '2026-12-05T00:00:00+08:00',
      });
      assert.match(set.batchId, /^console-\d+-[0-9a-f]{8}$/);
      assert.equal(set.accepted, 1);
      // The snapshot taken a moment ago was dropped, as a department's batch drops it.
      const after = await health();
      assert.equal(after.colour, 'yellow');
      assert.deepEqual(
        after.reasons.map((r) => [r.code, r.evidence.source]),
        [['RISK_AREA_VISIT', 'telecom']],
      );
      const code = await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(alice) });
      assert.equal(code.json<{ colour: string }>().colour, 'yellow');

      // Provenance: an area-risk batch of its own, national, the account's name as the authority.
      const { areas } = await ok<{ areas: Record<string, unknown>[] }>('operator', 'GET', '/area-risk');
      assert.deepEqual(areas, [
        {
          areaCode: '420100',
          areaName: '武汉市',
          level: 'high',
          validFrom: '2026-11-18T16:00:00.000Z',
          validTo: '2026-12-04T16:00:00.000Z',
          authority: '国家运营值班',
          batchId: set.batchId,
          line: 1,
          inForce: true,
          ended: null,
        },
      ]);
      const { batches } = await ok<{ batches: { batchId: string; province: string | null }[] }>(
        'operator',
        'GET',
        '/batches?source=area-risk',
      );
      assert.deepEqual(
        batches.map((b) => [b.batchId, b.province]),
        [[set.batchId, null]],
      );

      // A future entry is listed, not in force; one that has ended is not listed.
      await ok('operator', 'POST', '/area-risk', {
        areaCode: '110105',
        level: 'medium',
        validFrom: '2026-12-01T00:00:00+08:00',
        validTo: '2026-12-08T00:00:00+08:00',
        authority: '北京市朝阳区',
      });
      await ok('operator', 'POST', '/area-risk', {
        areaCode: '310000',
        level: 'low',
        validFrom: '2026-11-01T00:00:00+08:00',
        validTo: '2026-11-10T00:00:00+08:00',
      });
      const listed = (
        await ok<{ areas: { areaCode: string; inForce: boolean }[] }>('operator', 'GET', '/area-risk')
      ).areas;
      assert.deepEqual(
        listed.map((a) => [a.areaCode, a.inForce]),
        [
          ['420100', true],
          ['110105', false],
        ],
      );
    });

    test('an operator ends an entry early or withdraws it; the entry stays, statuses follow', async () => {
      hub.clock.advance(60);
      const carol = {
        documentType: 'id_card' as const,
        documentNumber: idNumber('43010219920315222'),
        name: '王五',
        phone: '13612345678',
      };
      const holder = await declaredHolder(hub, carol);
      await sendFeed(hub, 'telecom', 'tel-end', [
        {
          phone: carol.phone,
          cityCode: '430100',
          firstSeen: '2026-11-20T08:00:00+08:00',
          lastSeen: '2026-11-20T13:00:00+08:00',
        },
      ]);
      const colour = async () =>
        (await hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(holder) })).json<{
          colour: string;
        }>().colour;
      const set = await ok<{ batchId: string }>('operator', 'POST', '/area-risk', {
        areaCode: '430100',
        level: 'high',
        validFrom: '2026-11-19T00:00:00+08:00',
        validTo: '2026-12-05T00:00:00+08:00',
      });
      assert.equal(await colour(), 'yellow');
      const path = `/area-risk/${set.batchId}/1/end`;

      // Ended now (after the holder's stay): the stay still counts, the entry is listed with its new end.
      const ended = await ok<{ endsAt: string; withdrawn: boolean }>('operator', 'POST', path, {
        reason: '风险等级下调',
      });
      assert.equal(ended.endsAt, hub.clock.now().toISOString());
      assert.equal(ended.withdrawn, false);
      assert.equal(await colour(), 'yellow');
      const listed = (await ok<{ areas: { batchId: string }[] }>('operator', 'GET', '/area-risk')).areas;
      assert.ok(!listed.some((a) => a.batchId === set.batchId), 'an entry that has ended is not listed');
      // An end only comes forward.
      const later = await fails('operator', 'POST', path, 409, 'YMT_ERR_AREA_RISK_ALREADY_ENDED', {
        endsAt: '2026-12-01T00:00:00+08:00',
        reason: '再次结束',
      });
      assert.equal(later.error.details?.[0]?.field, 'endsAt');

      // Withdrawn (ended at or before its start): it never counted; the holder is green again.
      const withdrawn = await ok<{ endsAt: string; withdrawn: boolean }>('operator', 'POST', path, {
        endsAt: '2026-11-01T00:00:00+08:00',
        reason: '误发布，撤销',
      });
      assert.equal(withdrawn.withdrawn, true);
      assert.equal(withdrawn.endsAt, '2026-11-18T16:00:00.000Z');
      assert.equal(await colour(), 'green');
      // The entry itself is kept as published, with who ended it and why beside it.
      const kept = await hub.parts.db
        .selectFrom('area_risk_levels as a')
        .innerJoin('area_risk_ends as x', (j) =>
          j.onRef('x.batch_id', '=', 'a.batch_id').onRef('x.line', '=', 'a.line'),
        )
        .select(['a.level', 'a.valid_to', 'x.ended_by', 'x.reason'])
        .where('a.batch_id', '=', set.batchId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(kept, {
        level: 'high',
        valid_to: Date.parse('2026-12-05T00:00:00+08:00'),
        ended_by: '国家运营值班',
        reason: '误发布，撤销',
      });

      // A scheduled entry withdrawn before it starts is no longer listed either.
      const future = await ok<{ batchId: string }>('operator', 'POST', '/area-risk', {
        areaCode: '430200',
        level: 'medium',
        validFrom: '2026-12-10T00:00:00+08:00',
        validTo: '2026-12-20T00:00:00+08:00',
      });
      const scheduled = async () =>
        (await ok<{ areas: { batchId: string }[] }>('operator', 'GET', '/area-risk')).areas.some(
          (a) => a.batchId === future.batchId,
        );
      assert.equal(await scheduled(), true);
      await ok('operator', 'POST', `/area-risk/${future.batchId}/1/end`, { reason: '取消' });
      assert.equal(await scheduled(), false);

      await fails('operator', 'POST', `/area-risk/${set.batchId}/2/end`, 404, 'YMT_ERR_NOT_FOUND', {
        reason: 'x',
      });
      await fails('operator', 'POST', path, 400, 'YMT_ERR_FEED_DATE', { endsAt: '2026-11-30', reason: 'x' });
      await fails('operator', 'POST', path, 400, 'YMT_ERR_VALIDATION', { reason: '' });
      await fails('bj', 'POST', path, 403, 'YMT_ERR_CONSOLE_FORBIDDEN', { reason: 'x' });
    });

    test('area risk input is validated with codes, and nothing is written', async () => {
      const base = {
        areaCode: '420100',
        level: 'high',
        validFrom: '2026-11-19T00:00:00+08:00',
        validTo: '2026-11-29T00:00:00+08:00',
      };
      const count = async () =>
        (await ok<{ batches: unknown[] }>('operator', 'GET', '/batches?source=area-risk&limit=500')).batches
          .length;
      const before = await count();
      const cases: [object, string, string][] = [
        [{ ...base, areaCode: '999999' }, 'YMT_ERR_REGION_UNKNOWN', 'areaCode'],
        [{ ...base, level: 'extreme' }, 'YMT_ERR_VALIDATION', 'level'],
        [{ ...base, validTo: base.validFrom }, 'YMT_ERR_FEED_TIME_ORDER', 'validTo'],
        [{ ...base, validTo: '2026-11-18T00:00:00+08:00' }, 'YMT_ERR_FEED_TIME_ORDER', 'validTo'],
        [{ ...base, validFrom: '2026-11-19 00:00' }, 'YMT_ERR_FEED_DATE', 'validFrom'],
        [{ ...base, authority: '' }, 'YMT_ERR_VALIDATION', 'authority'],
        [{ ...base, colour: 'red' }, 'YMT_ERR_VALIDATION', 'colour'],
      ];
      for (const [payload, code, field] of cases) {
        const body = await fails('operator', 'POST', '/area-risk', 400, code, payload);
        assert.deepEqual(
          [...new Set(body.error.details?.map((d) => d.field))],
          [field],
          JSON.stringify(payload),
        );
      }
      assert.equal(await count(), before);
    });

    test('rule sets: each role sees its own and the national ones, with the one in force', async () => {
      type View = {
        id: string;
        version: string;
        province: string | null;
        inForce: boolean;
        shipped: boolean;
      };
      const view = (r: View) => [r.id, r.version, r.province, r.inForce, r.shipped];
      const all = (await ok<{ ruleSets: View[] }>('operator', 'GET', '/rule-sets')).ruleSets;
      assert.deepEqual(all.map(view), [
        ['national-acceptance', '1.0.0', null, true, true],
        ['beijing-acceptance', '1.0.0', '110000', true, true],
      ]);
      const gd = (await ok<{ ruleSets: View[] }>('gd', 'GET', '/rule-sets')).ruleSets;
      assert.deepEqual(gd.map(view), [['national-acceptance', '1.0.0', null, true, true]]);
    });

    test('rule sets: validate says what publication would refuse, and writes nothing', async () => {
      const good = ruleSet({ province: '440000', version: '1.0.0', validFrom: '2026-12-01T00:00:00+08:00' });
      assert.deepEqual(await ok('gd', 'POST', '/rule-sets/validate', { document: good }), {
        ok: true,
        problems: [],
      });
      const broken = await ok<{ ok: boolean; problems: { path: string }[] }>(
        'gd',
        'POST',
        '/rule-sets/validate',
        {
          document: { ...good, version: 'one', otherwise: {} },
        },
      );
      assert.equal(broken.ok, false);
      assert.deepEqual(broken.problems.map((p) => p.path).sort(), [
        'otherwise.decision',
        'otherwise.text',
        'version',
      ]);
      const notOwn = await ok<{ ok: boolean; problems: { path: string }[] }>(
        'bj',
        'POST',
        '/rule-sets/validate',
        {
          document: good,
        },
      );
      assert.deepEqual([notOwn.ok, notOwn.problems.map((p) => p.path)], [false, ['province']]);
      const ruleSets = (await ok<{ ruleSets: { id: string }[] }>('operator', 'GET', '/rule-sets')).ruleSets;
      assert.ok(!ruleSets.some((r) => r.id === 'guangdong-acceptance'), 'validation published nothing');
    });

    test('rule sets: publication by role, scheduled at validFrom, and distributed with the trust list', async () => {
      const future = ruleSet({
        province: '440000',
        version: '1.0.0',
        validFrom: '2026-12-01T00:00:00+08:00',
      });
      assert.deepEqual(await ok('gd', 'POST', '/rule-sets', { document: future }), {
        id: 'guangdong-acceptance',
        version: '1.0.0',
        province: '440000',
        validFrom: '2026-11-30T16:00:00.000Z',
        inForce: false,
        created: true,
      });
      // The same again changes nothing; another content under the same version is refused.
      assert.equal(
        (await ok<{ created: boolean }>('gd', 'POST', '/rule-sets', { document: future })).created,
        false,
      );
      const changed = await fails('gd', 'POST', '/rule-sets', 400, 'YMT_ERR_RULE_SET_INVALID', {
        document: { ...future, description: 'changed' },
      });
      assert.deepEqual(
        changed.error.details?.map((d) => d.field),
        ['version'],
      );
      // Not its province, another province's id, a shipped version: refused, as the province API refuses them
      // (one service: src/recognition/acceptance-rule-sets.service.ts), naming the field at fault.
      const bj = ruleSet({ id: 'beijing-acceptance', province: '110000', version: '9.0.0' });
      const fieldsOf = (r: { error: { details?: { field: string }[] } }) =>
        r.error.details?.map((d) => d.field);
      const notOwn = await fails('gd', 'POST', '/rule-sets', 403, 'YMT_ERR_PROVINCE_FORBIDDEN', {
        document: bj,
      });
      assert.deepEqual(fieldsOf(notOwn), ['province']);
      const othersId = await fails('gd', 'POST', '/rule-sets', 403, 'YMT_ERR_PROVINCE_FORBIDDEN', {
        document: { ...bj, province: '440000' },
      });
      assert.deepEqual(fieldsOf(othersId), ['id']);
      await fails('bj', 'POST', '/rule-sets', 403, 'YMT_ERR_PROVINCE_FORBIDDEN', {
        document: ruleSet({ id: 'national-acceptance', province: null, version: '2.0.0' }),
      });
      await fails('operator', 'POST', '/rule-sets', 400, 'YMT_ERR_RULE_SET_INVALID', {
        document: { ...national, description: 'changed' },
      });
      const invalid = await fails('operator', 'POST', '/rule-sets', 400, 'YMT_ERR_RULE_SET_INVALID', {
        document: { ...future, rules: 'none' },
      });
      assert.ok(
        invalid.error.details?.some((d) => d.field === 'rules'),
        'rules is named',
      );

      // An operator publishes a new national version already in effect: it replaces the shipped one.
      const v2 = { ...national, version: '2.0.0', validFrom: '2026-11-20T00:00:00+08:00' };
      const published = await ok<{ inForce: boolean; province: null }>('operator', 'POST', '/rule-sets', {
        document: v2,
      });
      assert.deepEqual([published.province, published.inForce], [null, true]);
      type View = {
        id: string;
        version: string;
        inForce: boolean;
        shipped: boolean;
        publishedAt: string | null;
      };
      const seen = (await ok<{ ruleSets: View[] }>('gd', 'GET', '/rule-sets')).ruleSets;
      assert.deepEqual(
        seen.map((r) => [r.id, r.version, r.inForce, r.shipped, r.publishedAt !== null]),
        [
          ['national-acceptance', '1.0.0', false, true, false],
          ['guangdong-acceptance', '1.0.0', false, false, true],
          ['national-acceptance', '2.0.0', true, false, true],
        ],
      );
      const list = (await hub.app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-list' })).json<{
        acceptanceRules: { id: string; version: string }[];
      }>();
      assert.ok(
        list.acceptanceRules.some((r) => r.id === 'national-acceptance' && r.version === '2.0.0'),
        'the national 2.0.0 is distributed',
      );
      assert.ok(
        list.acceptanceRules.some((r) => r.id === 'guangdong-acceptance'),
        'the Guangdong set is distributed',
      );
    });

    test('provinces: the operator sees all 32, a province its own; keys, node and last push', async () => {
      type P = {
        code: string;
        enrolled: boolean;
        nodeUrl: string | null;
        keys: { kid: string; revoked: boolean; revokedReason?: string }[];
        lastStatusPush: string | null;
      };
      const docHash = hub.parts.repositories.persons.documentHash({
        type: 'id_card',
        number: ALICE.documentNumber,
        nationality: 'CHN',
      });
      await hub.parts.repositories.holders.recordHolder(hub.parts.db, '440000', docHash, hub.clock.nowMs);
      await hub.parts.repositories.holders.applyDeltas(
        hub.parts.db,
        '440000',
        [
          {
            id: 1,
            docHash,
            colour: 'green',
            reasonCode: 'NO_ABNORMALITY',
            reasonText: '未见异常',
            reasonTextEn: 'No abnormality found',
            changedAt: hub.clock.nowMs,
          },
        ],
        hub.clock.nowMs,
      );
      const all = (await ok<{ provinces: P[] }>('operator', 'GET', '/provinces')).provinces;
      assert.equal(all.length, 32);
      const gd = all.find((p) => p.code === '440000');
      assert.deepEqual(gd && [gd.enrolled, gd.keys.map((k) => [k.kid, k.revoked]), gd.lastStatusPush], [
        true,
        [[gdKid, false]],
        hub.clock.now().toISOString(),
      ]);
      const bj = (await ok<{ provinces: P[] }>('bj', 'GET', '/provinces')).provinces;
      assert.deepEqual(bj, [
        {
          code: '110000',
          name: '北京市',
          nameEn: 'Beijing',
          enrolled: false,
          nodeUrl: null,
          keys: [],
          lastStatusPush: null,
        },
      ]);
    });

    test("revocation: the operator revokes a province's key; the trust list lists it as revoked", async () => {
      await fails('operator', 'POST', `/provinces/110000/keys/${gdKid}/revoke`, 404, 'YMT_ERR_NOT_FOUND', {
        reason: 'x',
      });
      await fails(
        'operator',
        'POST',
        `/provinces/999999/keys/${gdKid}/revoke`,
        404,
        'YMT_ERR_PROVINCE_UNKNOWN',
        {
          reason: 'x',
        },
      );
      await fails(
        'operator',
        'POST',
        `/provinces/440000/keys/${gdKid}/revoke`,
        400,
        'YMT_ERR_VALIDATION',
        {},
      );
      await fails('gd', 'POST', `/provinces/440000/keys/${gdKid}/revoke`, 403, 'YMT_ERR_CONSOLE_FORBIDDEN', {
        reason: 'leaked',
      });
      const path = `/provinces/440000/keys/${gdKid}/revoke`;
      assert.deepEqual(await ok('operator', 'POST', path, { reason: 'leaked' }), {
        kid: gdKid,
        province: '440000',
        changed: true,
      });
      assert.equal(
        (await ok<{ changed: boolean }>('operator', 'POST', path, { reason: 'again' })).changed,
        false,
      );
      const gd = (
        await ok<{ provinces: { code: string; keys: { revoked: boolean; revokedReason?: string }[] }[] }>(
          'gd',
          'GET',
          '/provinces',
        )
      ).provinces[0];
      assert.deepEqual(
        gd?.keys.map((k) => [k.revoked, k.revokedReason]),
        [[true, 'leaked']],
      );
      const list = await ok<{
        version: number;
        generation: number;
        revision: number;
        issuers: { iss: string }[];
        keys: { kid: string }[];
        revokedKeys: { kid: string; iss: string }[];
        anchorKid: string;
      }>('operator', 'GET', '/trust-list');
      assert.deepEqual(
        list.revokedKeys.map((k) => [k.kid, k.iss]),
        [[gdKid, '440000']],
      );
      assert.ok(!list.keys.some((k) => k.kid === gdKid), 'the revoked key is out of the keys');
      assert.equal(list.anchorKid, hub.parts.keys.current(hub.clock.nowMs).anchor.kid);
      assert.equal(list.revision, await hub.parts.services.trustInput.revision());
      assert.equal(list.version, list.generation + list.revision);
      assert.deepEqual(
        list.issuers.map((i) => i.iss),
        ['CN', '440000'],
      );
    });

    test('reports: the operator sees and answers all, a province its own; what holders wrote is masked', async () => {
      type R = {
        ticketId: string;
        province: string;
        status: string;
        answer: string | null;
        description?: string;
      };
      const all = (await ok<{ reports: R[] }>('operator', 'GET', '/reports')).reports;
      assert.deepEqual(all.map((r) => r.ticketId).sort(), [bjTicket, gdTicket].sort());
      const body = JSON.stringify(all);
      assert.ok(
        !body.includes(BOB.phone) && !body.includes(BOB.documentNumber),
        'no clear phone or ID number',
      );
      assert.ok(
        body.includes(maskPhone(BOB.phone)) && body.includes(maskIdNumber(BOB.documentNumber)),
        'the masked phone and ID number',
      );
      assert.ok(all[0]?.description?.startsWith('绿码被拒'), 'the text is kept');

      const own = (await ok<{ reports: R[] }>('bj', 'GET', '/reports')).reports;
      assert.deepEqual(
        own.map((r) => r.ticketId),
        [bjTicket],
      );
      // Another province's report is as good as unknown (as through the province API).
      await fails('bj', 'POST', `/reports/${gdTicket}/answer`, 404, 'YMT_ERR_TICKET_NOT_FOUND', {
        answer: '已核实',
      });
      await fails('bj', 'POST', `/reports/${crypto.randomUUID()}/answer`, 404, 'YMT_ERR_TICKET_NOT_FOUND', {
        answer: '已核实',
      });
      await fails('bj', 'POST', `/reports/${bjTicket}/answer`, 400, 'YMT_ERR_VALIDATION', { answer: '' });
      const answered = await ok<R>('bj', 'POST', `/reports/${bjTicket}/answer`, {
        answer: '已核实，已通知检查点',
      });
      assert.deepEqual([answered.status, answered.answer], ['answered', '已核实，已通知检查点']);
      await ok('operator', 'POST', `/reports/${gdTicket}/answer`, { answer: '已转广东省处理' });
      const open = (await ok<{ reports: R[] }>('operator', 'GET', '/reports?status=open')).reports;
      assert.deepEqual(open, []);
    });

    test('batches: newest first; the operator sees all, a department its source (and province), a province its own', async () => {
      type B = {
        source: string;
        batchId: string;
        province: string | null;
        total: number;
        quarantined: number;
      };
      const ids = async (who: string, query = '') =>
        (await ok<{ batches: B[] }>(who, 'GET', `/batches${query}`)).batches.map((b) => b.batchId);
      const every = await ids('operator');
      assert.deepEqual(
        every.filter((b) => !b.startsWith('console-')),
        ['tel-end', 'tel-1', 'air-1', 'rail-gd', 'rail-bj'],
      );
      assert.deepEqual(await ids('operator', '?source=railway'), ['rail-gd', 'rail-bj']);
      assert.deepEqual(await ids('operator', '?source=railway&limit=1'), ['rail-gd']);
      assert.deepEqual(await ids('railway'), ['rail-gd', 'rail-bj']);
      assert.deepEqual(await ids('railway', '?source=railway'), ['rail-gd', 'rail-bj']);
      assert.deepEqual(await ids('railwayGd'), ['rail-gd']);
      assert.deepEqual(await ids('aviation'), ['air-1']);
      assert.deepEqual(await ids('bj'), ['rail-bj']);
      assert.deepEqual(await ids('gd', '?source=aviation'), []);
      await fails('railway', 'GET', '/batches?source=aviation', 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
      await fails('operator', 'GET', '/batches?limit=0', 400, 'YMT_ERR_VALIDATION');
      await fails('operator', 'GET', '/batches?limit=501', 400, 'YMT_ERR_VALIDATION');
      await fails('operator', 'GET', '/batches?source=post', 400, 'YMT_ERR_VALIDATION');
      const bj = (await ok<{ batches: (B & Record<string, unknown>)[] }>('bj', 'GET', '/batches')).batches[0];
      assert.deepEqual(bj, {
        source: 'railway',
        batchId: 'rail-bj',
        province: '110000',
        total: 3,
        accepted: 1,
        quarantined: 2,
        receivedAt: new Date(T0).toISOString(),
        committedAt: new Date(T0).toISOString(),
        processedAt: new Date(T0).toISOString(),
        status: 'processed',
      });
    });

    test('quarantine: line, code and reason, the record masked; the same visibility as the batch', async () => {
      type Q = {
        quarantined: number;
        records: {
          line: number;
          code: string;
          field: string;
          reason: string;
          reasonEn: string;
          record: string;
        }[];
        nextAfterLine: number | null;
      };
      const url = '/batches/railway/rail-bj/quarantine';
      for (const who of ['operator', 'bj', 'railway']) {
        const q = await ok<Q>(who, 'GET', url);
        assert.equal(q.quarantined, 2);
        assert.deepEqual(
          q.records.map((r) => [r.line, r.code, r.field, r.reasonEn]),
          [
            [2, 'YMT_ERR_FEED_FIELD', 'carriage', 'A field has an invalid value'],
            [3, 'YMT_ERR_FEED_UNKNOWN_FIELD', 'phone', 'The record has an unknown field'],
          ],
        );
        const text = JSON.stringify(q);
        assert.ok(
          !text.includes(ALICE.documentNumber) && !text.includes(BOB.documentNumber),
          'no clear ID number',
        );
        assert.ok(!text.includes(BOB.phone), 'no clear phone');
        const first = JSON.parse(q.records[0]?.record ?? '{}') as Record<string, unknown>;
        assert.deepEqual(first, {
          documentType: 'id_card',
          trainNo: 'G1',
          date: '2026-11-20',
          seat: '01A',
          documentNumber: maskIdNumber(ALICE.documentNumber),
          carriage: 99,
        });
        assert.equal(
          (JSON.parse(q.records[1]?.record ?? '{}') as { phone: string }).phone,
          maskPhone(BOB.phone),
        );
        assert.equal(q.nextAfterLine, null);
      }
      const page = await ok<Q>('operator', 'GET', `${url}?limit=1`);
      assert.deepEqual([page.records.map((r) => r.line), page.nextAfterLine], [[2], 2]);
      const next = await ok<Q>('operator', 'GET', `${url}?limit=1&afterLine=2`);
      assert.deepEqual([next.records.map((r) => r.line), next.nextAfterLine], [[3], null]);
      await fails('gd', 'GET', url, 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
      await fails('railwayGd', 'GET', url, 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
      await fails('aviation', 'GET', url, 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
      await fails('operator', 'GET', '/batches/railway/nope/quarantine', 404, 'YMT_ERR_FEED_BATCH_NOT_FOUND');
      await fails('operator', 'GET', '/batches/railway/a%20b/quarantine', 400, 'YMT_ERR_VALIDATION');
    });

    test("capacity: the process's requests and every source's lag, for operators only", async () => {
      hub.clock.advance(90);
      const c = await ok<{
        requests: { inFlight: number; limit: number; since: string; minutes: { requests: number }[] };
        feedLag: { source: string; lastBatchAt: string | null; lagSeconds: number | null }[];
      }>('operator', 'GET', '/capacity');
      assert.equal(c.requests.limit, hub.parts.config.maxInFlight);
      assert.ok(c.requests.inFlight >= 1, 'this request is in flight');
      assert.ok(c.requests.minutes.reduce((n, m) => n + m.requests, 0) > 0, 'requests were counted');
      const lag = Object.fromEntries(c.feedLag.map((f) => [f.source, [f.lastBatchAt, f.lagSeconds]]));
      assert.deepEqual(Object.keys(lag).sort(), [
        'area-risk',
        'aviation',
        'health',
        'immigration',
        'railway',
        'telecom',
      ]);
      assert.deepEqual(lag.health, [null, null]);
      assert.deepEqual(lag.aviation, [
        new Date(T0 + 120_000).toISOString(),
        (hub.clock.nowMs - T0 - 120_000) / 1000,
      ]);
      await fails('gd', 'GET', '/capacity', 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
    });

    // Last: a scheduled status rule set changes every later colour in this file's hub.
    test('status rule sets: validated, scheduled, and deciding colours from their validFrom', async () => {
      const feverish = {
        documentType: 'id_card' as const,
        documentNumber: idNumber('51010719900101333'),
        name: '赵六',
        phone: '13512345678',
      };
      let holder = await declaredHolder(hub, feverish, { ...HEALTHY_DECLARATION, temperature: 37.6 });
      const health = async () => {
        const h = (
          await hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(holder) })
        ).json<{ colour: string; ruleSet: string }>();
        return [h.colour, h.ruleSet];
      };
      assert.deepEqual(await health(), ['yellow', 'national-baseline@1.0.0']);

      const inAnHour = new Date(hub.clock.nowMs + 3600_000).toISOString();
      // Fever from 38.0 ℃ instead of 37.3 ℃, from an hour from now.
      const next = {
        ...baseline,
        version: '1.1.0',
        validFrom: inAnHour,
        parameters: { ...baseline.parameters, feverThresholdDeci: 380 },
      };
      const bad = await ok<{ ok: boolean; problems: { path: string }[] }>(
        'operator',
        'POST',
        '/status-rule-sets/validate',
        {
          document: { ...next, parameters: { ...next.parameters, windowDays: 30 } },
        },
      );
      assert.deepEqual(bad, { ok: false, problems: [bad.problems[0]] });
      assert.equal(bad.problems[0]?.path, 'parameters.windowDays');
      assert.deepEqual(await ok('operator', 'POST', '/status-rule-sets/validate', { document: next }), {
        ok: true,
        problems: [],
      });
      await fails('operator', 'POST', '/status-rule-sets', 400, 'YMT_ERR_RULE_SET_INVALID', {
        document: { ...baseline },
      });
      await fails('bj', 'POST', '/status-rule-sets', 403, 'YMT_ERR_CONSOLE_FORBIDDEN', { document: next });
      await fails('bj', 'GET', '/status-rule-sets', 403, 'YMT_ERR_CONSOLE_FORBIDDEN');

      const published = await ok<{ inForce: boolean; created: boolean }>(
        'operator',
        'POST',
        '/status-rule-sets',
        {
          document: next,
        },
      );
      assert.deepEqual(published, {
        id: 'national-baseline',
        version: '1.1.0',
        validFrom: inAnHour,
        inForce: false,
        created: true,
      });
      // The same document again changes nothing; another one under the same version is refused.
      assert.equal(
        (await ok<{ created: boolean }>('operator', 'POST', '/status-rule-sets', { document: next })).created,
        false,
      );
      await fails('operator', 'POST', '/status-rule-sets', 400, 'YMT_ERR_RULE_SET_INVALID', {
        document: { ...next, description: 'changed' },
      });
      const listed = async () =>
        (
          await ok<{ ruleSets: { version: string; inForce: boolean; publishedBy: string | null }[] }>(
            'operator',
            'GET',
            '/status-rule-sets',
          )
        ).ruleSets.map((r) => [r.version, r.inForce, r.publishedBy]);
      assert.deepEqual(await listed(), [
        ['1.0.0', true, null],
        ['1.1.0', false, '国家运营值班'],
      ]);
      // Scheduled: nothing changes before its validFrom (the holder's snapshot stands) …
      assert.deepEqual(await health(), ['yellow', 'national-baseline@1.0.0']);
      // … and from it on, the snapshot made under 1.0.0 is computed again under 1.1.0.
      hub.clock.advance(3601);
      holder = await signIn(hub.app, feverish);
      assert.deepEqual(await health(), ['green', 'national-baseline@1.1.0']);
      assert.deepEqual(await listed(), [
        ['1.0.0', false, null],
        ['1.1.0', true, '国家运营值班'],
      ]);
    });
  });
}
