/**
 * The hub's province API through the real app (inject), on SQLite and PostgreSQL: enrolment, certified keys in
 * the trust list, kid collisions, revocation, rule publication, status deltas and the access matrix.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import beijingExample from '../../docs/examples/rules/110000.acceptance.json' with { type: 'json' };
import { CODE_LIFETIME_SECONDS, signCode } from '../../src/codec/token.ts';
import { certifyKey, KEY_CERTIFICATE_FORMAT } from '../../src/federation/key-certificate.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { signRequest } from '../../src/federation/request-signature.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, BOB, register } from '../helpers/people.ts';
import { lastCode } from '../helpers/sms.ts';
import { maskPhone } from '../../src/privacy/masking.ts';

interface Province {
  readonly code: string;
  readonly keys: ProvinceKeys;
  readonly store: KeyStore;
}

for (const engine of ENGINES) {
  describe(`province API (${engine})`, () => {
    let hub: TestApp;
    let gd: Province;
    let bj: Province;

    const province = async (code: string): Promise<Province> => {
      const store = new KeyStore(join(hub.dataDir, 'provinces', code, 'keys'), CODE_LIFETIME_SECONDS + 60);
      const keys = new ProvinceKeys(store, code);
      await hub.parts.services.provinces.enrol(keys.ensure(hub.clock.now()), new Date(hub.clock.nowMs));
      return { code, keys, store };
    };
    const as = (p: Province, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
      hub.app.inject({
        method,
        url,
        headers: signRequest(
          { method, path: url, caller: p.code, body },
          p.keys.accessSigner(),
          hub.clock.now(),
        ),
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
    const trustList = async () =>
      (await hub.app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-list' })).json<{
        version: number;
        issuers: { iss: string }[];
        keys: { kid: string; iss: string }[];
        revoked?: { kid: string }[];
      }>();
    const codeOf = (p: Province) => {
      const ring = p.store.read();
      const iat = Math.floor(hub.clock.nowMs / 1000);
      return signCode(
        {
          iss: p.code,
          iat,
          exp: iat + CODE_LIFETIME_SECONDS,
          cti: randomBytes(16),
          colour: 'green',
          maskedName: '*小三',
        },
        ring.signer,
      );
    };

    before(async () => {
      hub = await startApp(engine);
      gd = await province('440000');
      bj = await province('110000');
    });
    after(() => hub.close());

    test('unsigned, wrongly signed and replayed requests are refused', async () => {
      assert.equal(
        (await hub.app.inject({ method: 'GET', url: '/api/v1/federation/reports' })).statusCode,
        401,
      );
      const url = '/api/v1/federation/reports';
      const headers = signRequest(
        { method: 'GET', path: url, caller: '440000', body: undefined },
        bj.keys.accessSigner(),
        hub.clock.now(),
      );
      assert.equal((await hub.app.inject({ method: 'GET', url, headers })).statusCode, 401);
      const good = signRequest(
        { method: 'GET', path: url, caller: '440000', body: undefined },
        gd.keys.accessSigner(),
        hub.clock.now(),
      );
      assert.equal((await hub.app.inject({ method: 'GET', url, headers: good })).statusCode, 200);
      const again = await hub.app.inject({ method: 'GET', url, headers: good });
      assert.equal(again.statusCode, 401);
      assert.equal(again.json<{ error: { code: string } }>().error.code, 'YMT_ERR_PEER_UNAUTHENTICATED');
    });

    test('a certified key enters the trust list under its province; a code it signs verifies at the hub', async () => {
      const before = await trustList();
      const [certificate] = gd.keys.certificates(gd.store.read());
      const res = await as(gd, 'POST', '/api/v1/federation/signing-keys', { certificate });
      assert.equal(res.statusCode, 200, res.body);
      const list = await trustList();
      assert.ok(list.version > before.version);
      assert.ok(list.issuers.some((i) => i.iss === '440000'));
      assert.ok(list.keys.some((k) => k.kid === certificate?.kid && k.iss === '440000'));
      const v = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/verify',
        payload: { code: codeOf(gd) },
      });
      assert.equal(v.json<{ valid: boolean; issuer: string }>().issuer, '440000');
      // The same certificate again changes nothing.
      const again = await as(gd, 'POST', '/api/v1/federation/signing-keys', { certificate });
      assert.equal(again.json<{ changed: boolean }>().changed, false);
      // Every issuer's keys at once (the console's and the CLI's lists) are each issuer's own keys.
      const byIssuer = await hub.parts.repositories.issuerKeys.keysByIssuer(hub.parts.db);
      assert.deepEqual(
        byIssuer.get('440000'),
        await hub.parts.repositories.issuerKeys.keysOf(hub.parts.db, '440000'),
      );
      assert.deepEqual(
        byIssuer.get('440000')?.map((k) => k.kid),
        [certificate?.kid],
      );
      assert.equal(byIssuer.has('110000'), false);
    });

    test("kid collisions: another province certifying Guangdong's key, or the hub's", async () => {
      const ring = bj.store.read();
      const gdKey = gd.store.read().keys[0];
      const hubKey = hub.parts.keys.current(hub.clock.nowMs).keys[0];
      assert.ok(gdKey && hubKey);
      for (const k of [gdKey, hubKey]) {
        const certificate = certifyKey(
          {
            format: KEY_CERTIFICATE_FORMAT,
            iss: '110000',
            kid: k.kid,
            publicJwk: k.publicJwk,
            notBefore: new Date(hub.clock.nowMs).toISOString(),
            notAfter: new Date(hub.clock.nowMs + 86400_000).toISOString(),
            rootKid: ring.anchor.kid,
          },
          ring.anchor.sign,
        );
        const res = await as(bj, 'POST', '/api/v1/federation/signing-keys', { certificate });
        assert.equal(res.statusCode, 409);
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'YMT_ERR_KID_COLLISION');
      }
    });

    test("a certificate from another province's root, or for another issuer, is refused", async () => {
      const [certificate] = gd.keys.certificates(gd.store.read());
      const res = await as(bj, 'POST', '/api/v1/federation/signing-keys', { certificate });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'YMT_ERR_KEY_CERTIFICATE_INVALID');
    });

    test('rules: a province publishes its own, not another’s; invalid ones are refused with the problem', async () => {
      const set = {
        id: 'guangdong-acceptance',
        version: '1.0.0',
        province: '440000',
        validFrom: '2026-11-01T00:00:00+08:00',
        rules: [],
        otherwise: { decision: 'accept', text: '通行', textEn: 'Accepted' },
      };
      const ok = await as(gd, 'POST', '/api/v1/federation/acceptance-rules', { ruleSet: set });
      assert.equal(ok.statusCode, 200, ok.body);
      const list = await hub.app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-list' });
      assert.ok(
        list.json<{ acceptanceRules: { id: string }[] }>().acceptanceRules.some((r) => r.id === set.id),
      );
      assert.equal(
        (await as(bj, 'POST', '/api/v1/federation/acceptance-rules', { ruleSet: set })).statusCode,
        403,
      );
      const taken = await as(bj, 'POST', '/api/v1/federation/acceptance-rules', {
        ruleSet: { ...set, province: '110000' },
      });
      assert.equal(taken.statusCode, 403);
      // Beijing publishes the example of stricter rules (docs/examples/rules/, not shipped). No other province
      // takes the id of a shipped set (the national one) or of another's published one (Beijing's).
      const example = await as(bj, 'POST', '/api/v1/federation/acceptance-rules', {
        ruleSet: beijingExample,
      });
      assert.equal(example.statusCode, 200, example.body);
      for (const id of ['national-acceptance', 'beijing-acceptance']) {
        const shipped = await as(gd, 'POST', '/api/v1/federation/acceptance-rules', {
          ruleSet: { ...set, id, version: '9.0.0' },
        });
        assert.equal(shipped.statusCode, 403, id);
      }
      const bad = await as(gd, 'POST', '/api/v1/federation/acceptance-rules', {
        ruleSet: { ...set, version: '1.0.1', otherwise: {} },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json<{ error: { code: string } }>().error.code, 'YMT_ERR_RULE_SET_INVALID');
      // The same id and version with other content is refused; the same content again is accepted unchanged.
      const changed = await as(gd, 'POST', '/api/v1/federation/acceptance-rules', {
        ruleSet: { ...set, rules: [], description: 'x' },
      });
      assert.equal(changed.statusCode, 400);
      const same = await as(gd, 'POST', '/api/v1/federation/acceptance-rules', { ruleSet: set });
      assert.equal(same.json<{ created: boolean }>().created, false);
    });

    test('status deltas: only for holders who confirmed a sign-in at the node, applied once, counted nationally', async () => {
      const aliceId = await register(hub.parts, ALICE);
      await register(hub.parts, BOB);
      const verify = await as(gd, 'POST', '/api/v1/federation/identities/verify', {
        documentType: ALICE.documentType,
        documentNumber: ALICE.documentNumber,
        name: ALICE.name,
      });
      // Match or not, and a code texted to the holder: never the phone itself.
      const answered = verify.json<{ match: boolean; challenge: { id: string; sentTo: string } }>();
      assert.equal(answered.match, true);
      assert.equal(answered.challenge.sentTo, maskPhone(ALICE.phone));
      assert.ok(!verify.body.includes(ALICE.phone), 'no phone in clear');
      // The check alone does not make Alice Guangdong's: its deltas for her are refused until she confirms.
      const early = await as(gd, 'POST', '/api/v1/federation/status-deltas', {
        deltas: [
          {
            id: 1,
            documentType: ALICE.documentType,
            documentNumber: ALICE.documentNumber,
            colour: 'red',
            reasonCode: 'X',
            reasonText: 'x',
            reasonTextEn: 'x',
            changedAt: new Date(hub.clock.nowMs).toISOString(),
          },
        ],
      });
      assert.deepEqual(
        early.json<{ rejected: { code: string }[] }>().rejected.map((x) => x.code),
        ['YMT_ERR_PROVINCE_FORBIDDEN'],
      );
      const confirmed = await as(gd, 'POST', '/api/v1/federation/identities/confirm', {
        challengeId: answered.challenge.id,
        code: lastCode(hub.dataDir, ALICE.phone),
      });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      const delta = (id: number, who: typeof ALICE) => ({
        id,
        documentType: who.documentType,
        documentNumber: who.documentNumber,
        colour: 'yellow',
        reasonCode: 'DECLARED_FEVER',
        reasonText: '申报发热',
        reasonTextEn: 'Declared fever',
        changedAt: new Date(hub.clock.nowMs).toISOString(),
      });
      const broken = {
        ...ALICE,
        documentNumber: `${ALICE.documentNumber.slice(0, 17)}${ALICE.documentNumber.endsWith('0') ? '1' : '0'}`,
      };
      const body = { deltas: [delta(2, ALICE), delta(3, BOB), delta(4, broken)] };
      const res = await as(gd, 'POST', '/api/v1/federation/status-deltas', body);
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json<{ applied: number; rejected: { id: number; code: string }[] }>();
      assert.equal(r.applied, 1);
      assert.deepEqual(r.rejected.map((x) => [x.id, x.code]).sort(), [
        [3, 'YMT_ERR_PROVINCE_FORBIDDEN'],
        [4, 'YMT_ERR_ID_NUMBER_CHECKSUM'],
      ]);
      const again = await as(gd, 'POST', '/api/v1/federation/status-deltas', body);
      assert.equal(again.json<{ applied: number }>().applied, 0);
      const status = await hub.parts.services.status.current(aliceId, hub.clock.now());
      assert.equal(status.colour, 'yellow');
      // With its provenance: the province and the delta that set it.
      assert.deepEqual(
        status.reasons.filter((x) => x.code === 'PROVINCE_DECLARED_FEVER').map((x) => x.evidence),
        [{ source: 'province:440000', batchId: 'status-delta', record: 2 }],
      );
      // Beijing cannot push for Guangdong's holder.
      const bjPush = await as(bj, 'POST', '/api/v1/federation/status-deltas', { deltas: [delta(9, ALICE)] });
      assert.equal(bjPush.json<{ applied: number }>().applied, 0);
    });

    test("revocation: a province revokes its own key, not another's; the list moves it to `revoked`; its codes fail", async () => {
      const code = codeOf(gd);
      const kid = gd.store.read().activeKid;
      assert.equal(
        (await as(bj, 'POST', `/api/v1/federation/signing-keys/${kid}/revoke`, { reason: 'x' })).statusCode,
        404,
      );
      const res = await as(gd, 'POST', `/api/v1/federation/signing-keys/${kid}/revoke`, {
        reason: 'compromised',
      });
      assert.equal(res.statusCode, 200);
      const list = await trustList();
      assert.ok(!list.keys.some((k) => k.kid === kid));
      assert.ok(list.revoked?.some((k) => k.kid === kid));
      const v = await hub.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { code } });
      assert.equal(v.json<{ error: { code: string } }>().error.code, 'YMT_ERR_CODE_KEY_REVOKED');
      // A revoked key cannot come back.
      const [certificate] = gd.keys.certificates(gd.store.read());
      const back = await as(gd, 'POST', '/api/v1/federation/signing-keys', { certificate });
      assert.equal(back.json<{ error: { code: string } }>().error.code, 'YMT_ERR_KEY_REVOKED');
    });
  });
}
