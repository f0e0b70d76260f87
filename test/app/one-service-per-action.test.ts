/**
 * One service per action: publishing an acceptance rule set, revoking a province's key and answering a ticket
 * are each one service that the operations console, the province API and the command line call. The same bad
 * input gets the same refusal — code and fields at fault — through every entry point. The console and the
 * province API run on both engines; the command line (a separate process sharing the hub's data folder) on
 * SQLite, as it runs on a hub machine. Applying status deltas has one entry point, the province API.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import beijingExample from '../../docs/examples/rules/110000.acceptance.json' with { type: 'json' };
import { CODE_LIFETIME_SECONDS } from '../../src/codec/token.ts';
import { signRequest } from '../../src/federation/request-signature.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import national from '../../src/recognition/rule-sets/national.acceptance.json' with { type: 'json' };
import { KeyStore } from '../../src/signing/keystore.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { BOB, register } from '../helpers/people.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));

/** A refusal as every entry point reports it: the code and the fields at fault. */
interface Refusal {
  readonly code: string;
  readonly fields: readonly string[];
}

interface ErrorBody {
  error?: { code: string; details?: { field: string }[] };
}

const refusalOf = (body: ErrorBody): Refusal => ({
  code: body.error?.code ?? 'none',
  fields: [...new Set((body.error?.details ?? []).map((d) => d.field))],
});

const guangdongRules = (over: Record<string, unknown>) => ({
  ...national,
  id: 'guangdong-acceptance',
  province: '440000',
  version: '1.0.0',
  ...over,
});

for (const engine of ENGINES) {
  describe(`one service per action, the same refusal through every entry point (${engine})`, () => {
    let hub: TestApp;
    let operator: string;
    let gdAuthority: string;
    let gd: ProvinceKeys;
    let bjTicket: string;
    let gdKid: string;

    before(async () => {
      hub = await startApp(engine);
      const now = hub.clock.now();
      operator = (await hub.parts.services.consoleAccounts.create('国家运营值班', null, now)).token;
      gdAuthority = (await hub.parts.services.consoleAccounts.create('广东省卫健委', '440000', now)).token;
      const store = new KeyStore(
        join(hub.dataDir, 'provinces', '440000', 'keys'),
        CODE_LIFETIME_SECONDS + 60,
      );
      gd = new ProvinceKeys(store, '440000');
      await hub.parts.services.provinces.enrol(gd.ensure(now), now);
      const [certificate] = gd.certificates(store.read());
      assert.ok(certificate);
      gdKid = (await hub.parts.services.issuerKeys.upload('440000', certificate, now)).kid;
      // Guangdong's rule set 1.0.0, published once: another content under its version is refused below. And
      // Beijing's example of stricter rules (docs/examples/rules/): its id is Beijing's.
      await hub.parts.services.acceptanceRuleSets.publish(
        { role: 'province', name: '广东省卫健委', province: '440000' },
        guangdongRules({}),
        now,
      );
      await hub.parts.services.acceptanceRuleSets.publish(
        { role: 'province', name: '北京市卫健委', province: '110000' },
        beijingExample,
        now,
      );
      const personId = await register(hub.parts, BOB);
      bjTicket = (
        await hub.parts.services.tickets.reportNonRecognition(
          personId,
          { region: '110105', at: '2026-11-21T09:00:00+08:00', checkpointId: 'GATE-1', issuer: 'CN' },
          now,
        )
      ).ticketId;
    });
    after(() => hub.close());

    /** The operations console, as an account with this token. */
    const consoleCall = async (token: string, url: string, payload: object): Promise<Refusal> => {
      const res = await hub.app.inject({
        method: 'POST',
        url: `/api/v1/console${url}`,
        headers: { authorization: `Bearer ${token}` },
        payload,
      });
      assert.ok(res.statusCode >= 400, `console ${url}: ${res.body}`);
      return refusalOf(res.json<ErrorBody>());
    };
    /** The province API, as Guangdong's node. */
    const provinceCall = async (url: string, payload: object): Promise<Refusal> => {
      const res = await hub.app.inject({
        method: 'POST',
        url,
        headers: signRequest(
          { method: 'POST', path: url, caller: '440000', body: payload },
          gd.accessSigner(),
          hub.clock.now(),
        ),
        payload,
      });
      assert.ok(res.statusCode >= 400, `province API ${url}: ${res.body}`);
      return refusalOf(res.json<ErrorBody>());
    };
    /** The command line on the hub's machine (SQLite: it shares the hub's data folder). */
    const cli = (args: string[]): Refusal | undefined => {
      if (engine !== 'sqlite') return undefined;
      const r = spawnSync(process.execPath, [BIN, ...args], {
        env: {
          ...process.env,
          DATA_DIR: hub.dataDir,
          DATABASE_URL: '',
          LOG_LEVEL: 'silent',
          DEMO_DATA: 'false',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 1, `yimatong ${args.join(' ')}: ${r.stdout} ${r.stderr}`);
      return refusalOf(JSON.parse(r.stderr.trim().split('\n').at(-1) ?? '{}') as ErrorBody);
    };
    /** Every entry point refused alike, and as expected. */
    const sameEverywhere = (expected: Refusal, answers: (Refusal | undefined)[]) => {
      for (const a of answers.filter((x) => x !== undefined)) assert.deepEqual(a, expected);
    };

    test('publishing an acceptance rule set: console, province API and command line refuse alike', async () => {
      const cases: [string, object, Refusal][] = [
        [
          'not a rule set',
          guangdongRules({ rules: 'none' }),
          { code: 'YMT_ERR_RULE_SET_INVALID', fields: ['rules'] },
        ],
        [
          'a published id and version with another content',
          guangdongRules({ description: 'changed' }),
          { code: 'YMT_ERR_RULE_SET_INVALID', fields: ['version'] },
        ],
        [
          "another province's id",
          guangdongRules({ id: 'beijing-acceptance', version: '9.0.0' }),
          { code: 'YMT_ERR_PROVINCE_FORBIDDEN', fields: ['id'] },
        ],
      ];
      for (const [what, doc, expected] of cases) {
        const file = join(hub.dataDir, `${what.replace(/\W+/g, '-')}.json`);
        writeFileSync(file, JSON.stringify(doc));
        const answers = [
          await consoleCall(operator, '/rule-sets', { document: doc }),
          await consoleCall(gdAuthority, '/rule-sets', { document: doc }),
          await provinceCall('/api/v1/federation/acceptance-rules', { ruleSet: doc }),
          cli(['rule-sets', 'publish', file]),
        ];
        assert.deepEqual(answers[0], expected, what);
        sameEverywhere(expected, answers);
      }
      // Nothing was published by any of them.
      const published = await hub.parts.services.acceptanceRuleSets.list(
        { role: 'operator', name: 'test' },
        hub.clock.now(),
      );
      assert.deepEqual(
        published
          .filter((r) => !r.shipped)
          .map((r) => [r.id, r.version])
          .sort(),
        [
          ['beijing-acceptance', '1.0.0'],
          ['guangdong-acceptance', '1.0.0'],
        ],
      );
    });

    test("a province publishes only its own province's rule sets, at the console as through its node", async () => {
      const beijing = guangdongRules({ id: 'bj-extra', province: '110000' });
      const expected = { code: 'YMT_ERR_PROVINCE_FORBIDDEN', fields: ['province'] };
      sameEverywhere(expected, [
        await consoleCall(gdAuthority, '/rule-sets', { document: beijing }),
        await provinceCall('/api/v1/federation/acceptance-rules', { ruleSet: beijing }),
      ]);
    });

    test("revoking a province's key: an unknown key, or no reason, is refused alike", async () => {
      const cases: [string, string, Refusal][] = [
        ['AAAAAAAAAAA', 'leaked', { code: 'YMT_ERR_NOT_FOUND', fields: [] }],
        // Whitespace passes the HTTP schemas' minLength; the service refuses it, for the command line too.
        [gdKid, '   ', { code: 'YMT_ERR_VALIDATION', fields: ['reason'] }],
      ];
      for (const [kid, reason, expected] of cases) {
        const answers = [
          await consoleCall(operator, `/provinces/440000/keys/${kid}/revoke`, { reason }),
          await provinceCall(`/api/v1/federation/signing-keys/${kid}/revoke`, { reason }),
          cli(['provinces', 'revoke-key', kid, '--reason', reason]),
        ];
        assert.deepEqual(answers[0], expected, kid);
        sameEverywhere(expected, answers);
      }
      const key = await hub.parts.repositories.issuerKeys.key(hub.parts.db, gdKid);
      assert.equal(key?.revokedAt, null, 'the key was not revoked by any of them');
    });

    test("answering a ticket: an unknown one, another province's, or an empty answer, refused alike", async () => {
      const unknown = crypto.randomUUID();
      const notFound = { code: 'YMT_ERR_TICKET_NOT_FOUND', fields: [] };
      sameEverywhere(notFound, [
        await consoleCall(operator, `/reports/${unknown}/answer`, { answer: '已核实' }),
        await consoleCall(gdAuthority, `/reports/${unknown}/answer`, { answer: '已核实' }),
        await provinceCall(`/api/v1/federation/reports/${unknown}/answer`, { answer: '已核实' }),
        cli(['tickets', 'answer', unknown, '--answer', '已核实']),
      ]);
      // Beijing's report, answered by Guangdong: as good as unknown, at the console as through the node.
      sameEverywhere(notFound, [
        await consoleCall(gdAuthority, `/reports/${bjTicket}/answer`, { answer: '已核实' }),
        await provinceCall(`/api/v1/federation/reports/${bjTicket}/answer`, { answer: '已核实' }),
      ]);
      const blank = { code: 'YMT_ERR_VALIDATION', fields: ['answer'] };
      sameEverywhere(blank, [
        await consoleCall(operator, `/reports/${bjTicket}/answer`, { answer: '  ' }),
        cli(['tickets', 'answer', bjTicket, '--answer', '  ']),
      ]);
      // Nothing was answered by any of them.
      const t = await hub.parts.repositories.tickets.get(hub.parts.db, bjTicket);
      assert.deepEqual([t?.state, t?.answer], ['routed', null]);
    });

    test('status deltas have one entry point: a holder the province never had is refused, nothing applied', async () => {
      const url = '/api/v1/federation/status-deltas';
      const deltas = [
        {
          id: 1,
          documentType: 'id_card',
          documentNumber: BOB.documentNumber,
          colour: 'red',
          reasonCode: 'CASE',
          reasonText: '确诊',
          reasonTextEn: 'Confirmed',
          changedAt: hub.clock.now().toISOString(),
        },
      ];
      const res = await hub.app.inject({
        method: 'POST',
        url,
        headers: signRequest(
          { method: 'POST', path: url, caller: '440000', body: { deltas } },
          gd.accessSigner(),
          hub.clock.now(),
        ),
        payload: { deltas },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        received: 1,
        applied: 0,
        rejected: [{ id: 1, code: 'YMT_ERR_PROVINCE_FORBIDDEN', message: 'not a holder of this province' }],
      });
    });
  });
}
