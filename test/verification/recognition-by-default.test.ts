/**
 * Recognition by default ("一码通行"): with the shipped acceptance rules, a valid green code of another province is
 * accepted at a Beijing checkpoint — online (`POST /api/v1/verify`, SQLite and PostgreSQL) and offline
 * (`yimatong verify --region`, with the hub's trust list saved to a file). A stricter set is an example a province
 * publishes (docs/examples/rules/): once Beijing has published it, Beijing's rules decide there instead.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import beijingExample from '../../docs/examples/rules/110000.acceptance.json' with { type: 'json' };
import { CODE_LIFETIME_SECONDS, signCode } from '../../src/codec/token.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));
const EXAMPLE_FILE = fileURLToPath(
  new URL('../../docs/examples/rules/110000.acceptance.json', import.meta.url),
);

interface Verdict {
  valid: boolean;
  decision: string;
  ruleSet: string;
  issuer: string;
  reasons: { code: string }[];
}

for (const engine of ENGINES) {
  describe(`recognition by default: a Guangdong green code at a Beijing checkpoint (${engine})`, () => {
    let hub: TestApp;
    let store: KeyStore;
    let bjAuthority: string;

    before(async () => {
      hub = await startApp(engine);
      const now = hub.clock.now();
      // Guangdong enrolled, with a certified signing key in the trust list.
      store = new KeyStore(join(hub.dataDir, 'provinces', '440000', 'keys'), CODE_LIFETIME_SECONDS + 60);
      const gd = new ProvinceKeys(store, '440000');
      await hub.parts.services.provinces.enrol(gd.ensure(now), now);
      const [certificate] = gd.certificates(store.read());
      assert.ok(certificate);
      await hub.parts.services.issuerKeys.upload('440000', certificate, now);
      bjAuthority = (await hub.parts.services.consoleAccounts.create('北京市卫健委', '110000', now)).token;
    });
    after(() => hub.close());

    /** A valid green code, signed now by Guangdong's key. */
    const guangdongGreen = (): string => {
      const iat = Math.floor(hub.clock.nowMs / 1000);
      return signCode(
        {
          iss: '440000',
          iat,
          exp: iat + CODE_LIFETIME_SECONDS,
          cti: randomBytes(16),
          colour: 'green',
          maskedName: '张*三',
        },
        store.read().signer,
      );
    };
    const verifyOnline = async (code: string): Promise<Verdict> => {
      const res = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/verify',
        payload: { code, checkpointRegion: '110105' },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<Verdict>();
    };
    /** `yimatong verify CODE --region 110105` against the hub's trust list, saved with its anchor. */
    const verifyOffline = async (code: string): Promise<Verdict> => {
      const get = async (url: string) => (await hub.app.inject({ method: 'GET', url })).body;
      const list = join(hub.dataDir, 'trust-list.json');
      const anchor = join(hub.dataDir, 'anchor.json');
      writeFileSync(list, await get('/.well-known/yimatong/trust-list'));
      writeFileSync(anchor, await get('/.well-known/yimatong/trust-anchor'));
      const r = spawnSync(
        process.execPath,
        [
          BIN,
          'verify',
          code,
          '--trust-list',
          list,
          '--anchor',
          anchor,
          '--region',
          '110105',
          '--at',
          hub.clock.now().toISOString(),
        ],
        {
          cwd: hub.dataDir,
          env: { ...process.env, DATA_DIR: hub.dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      assert.equal(r.status, 0, r.stdout + r.stderr);
      return JSON.parse(r.stdout) as Verdict;
    };
    const decided = (v: Verdict) => [v.valid, v.issuer, v.decision, v.ruleSet, v.reasons[0]?.code];

    test('with the shipped rules it is accepted, online and offline', async () => {
      const code = guangdongGreen();
      const expected = [true, '440000', 'accept', 'national-acceptance@1.0.0', 'GREEN_CODE'];
      assert.deepEqual(decided(await verifyOnline(code)), expected);
      if (engine === 'sqlite') assert.deepEqual(decided(await verifyOffline(code)), expected);
    });

    test('the stricter Beijing example is publishable; once published, it decides at Beijing', async () => {
      // The command line validates it as it would publish it (the hub's machine shares the data folder).
      if (engine === 'sqlite') {
        const r = spawnSync(process.execPath, [BIN, 'rule-sets', 'validate', EXAMPLE_FILE], {
          env: { ...process.env, DATA_DIR: hub.dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
          encoding: 'utf8',
          timeout: 60_000,
        });
        assert.equal(r.status, 0, r.stdout + r.stderr);
      }
      const res = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/console/rule-sets',
        headers: { authorization: `Bearer ${bjAuthority}` },
        payload: { document: beijingExample },
      });
      assert.equal(res.statusCode, 200, res.body);
      const code = guangdongGreen();
      const expected = [true, '440000', 'manual', 'beijing-acceptance@1.0.0', 'OTHERWISE'];
      assert.deepEqual(decided(await verifyOnline(code)), expected);
      if (engine === 'sqlite') assert.deepEqual(decided(await verifyOffline(code)), expected);
    });
  });
}
