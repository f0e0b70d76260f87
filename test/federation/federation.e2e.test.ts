/**
 * The federation end to end, as separate processes over real HTTP on loopback: `yimatong federation` starts the
 * hub and three provincial nodes (Beijing, Shanghai, Guangdong; federation-harness.ts). A Guangdong resident signs
 * in at Guangdong's node through the hub's real-name service and gets Guangdong's code; Beijing accepts it under
 * the rules Beijing published, Shanghai's published rules refuse it; the resident links it at the hub; a revoked
 * Guangdong key fails everywhere after the next refresh and Guangdong rotates; one province cannot read another's
 * data.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { SignedClient } from '../../src/federation/signed-client.ts';
import { ALICE, BOB, HEALTHY_DECLARATION } from '../helpers/people.ts';
import { desk, launch } from '../web/browser.ts';
import { REVISION_MAX_LAG_MS } from '../../src/signing/trust-list-revision.repository.ts';
import { BIN, call, eventually, signIn, startFederation, type Federation } from './federation-harness.ts';

describe('federation: hub and three provincial nodes as separate processes', { timeout: 240_000 }, () => {
  let fed: Federation;
  let hub: string;
  const at = (code: string) => fed.at(code);
  const asProvince = (code: string) => fed.asProvince(code);

  before(async () => {
    fed = await startFederation(['110000', '440000', '310000']);
    hub = fed.hub;
  });
  after(() => fed.stop());

  let alice: Promise<{ token: string; code: string }> | undefined;
  /**
   * Alice signed in at Guangdong's node (through the hub's real-name service), declared, with her 440000 code:
   * made once, by whichever test asks first, so that each test can also run alone.
   */
  const aliceAtGuangdong = () =>
    (alice ??= (async () => {
      const token = await signIn(at('440000'), ALICE, fed.hubDataDir);
      // At a node the declaration carries the phone: the hub never gives a node one.
      const decl = await call(
        at('440000'),
        'POST',
        '/api/v1/me/declaration',
        { ...HEALTHY_DECLARATION, phone: ALICE.phone },
        token,
      );
      assert.equal(decl.status, 201, JSON.stringify(decl.json));
      const code = await call(at('440000'), 'GET', '/api/v1/me/code', undefined, token);
      assert.equal(code.status, 200, JSON.stringify(code.json));
      assert.equal(code.json.issuer, '440000');
      return { token, code: String(code.json.code) };
    })());

  test('each node answers /healthz and serves the holder API; sign-in goes through the hub', async () => {
    for (const code of ['110000', '440000', '310000']) {
      const health = await call(at(code), 'GET', '/healthz');
      assert.equal(health.status, 200);
      assert.deepEqual([health.json.role, health.json.issuer], ['province', code]);
    }
    const { code: issued } = await aliceAtGuangdong();
    assert.ok(issued.startsWith('YMT1:'));
    // A wrong name fails at the node as at the hub.
    const wrong = await call(at('440000'), 'POST', '/api/v1/auth/real-name', {
      documentType: ALICE.documentType,
      documentNumber: ALICE.documentNumber,
      name: '王五',
    });
    assert.equal(wrong.status, 401);
  });

  test("the hub's trust list names every issuer and lists each province's keys as JWKs", async () => {
    const list = await call(hub, 'GET', '/.well-known/yimatong/trust-list');
    const issuers = (list.json.issuers as { iss: string }[]).map((i) => i.iss);
    assert.deepEqual(issuers.sort(), ['110000', '310000', '440000', 'CN']);
    const keys = list.json.keys as { iss: string; kty: string; crv: string }[];
    for (const iss of ['CN', '110000', '310000', '440000']) {
      assert.ok(
        keys.some((k) => k.iss === iss && k.kty === 'EC' && k.crv === 'P-256'),
        iss,
      );
    }
  });

  test("Guangdong's code: accepted in Beijing under Beijing's rules, refused in Shanghai, at the hub and at the nodes", async () => {
    const { code: aliceCode } = await aliceAtGuangdong();
    // Every node takes the hub's current list (Guangdong's key, Beijing's and Shanghai's rules) at its next
    // refresh: wait for the versions to meet.
    const version = async (url: string) =>
      (await call(url, 'GET', '/.well-known/yimatong/trust-list')).json.version as number;
    const hubVersion = await version(hub);
    for (const code of ['110000', '310000', '440000']) {
      await eventually(`the trust list at ${code}`, async () =>
        (await version(at(code))) === hubVersion ? true : undefined,
      );
    }
    for (const where of [hub, at('110000'), at('310000')]) {
      const bj = await call(where, 'POST', '/api/v1/verify', { code: aliceCode, checkpointRegion: '110105' });
      assert.equal(bj.json.valid, true, JSON.stringify(bj.json));
      assert.equal(bj.json.issuer, '440000');
      assert.equal(bj.json.decision, 'accept');
      assert.equal(bj.json.ruleSet, 'beijing-acceptance@2.0.0');
      const sh = await call(where, 'POST', '/api/v1/verify', { code: aliceCode, checkpointRegion: '310104' });
      assert.equal(sh.json.decision, 'refuse');
      assert.deepEqual(
        (sh.json.reasons as { code: string }[]).map((r) => r.code),
        ['NOT_NATIONAL_OR_OWN'],
      );
    }
  });

  test('the holder links the Guangdong code at the hub and sees its live status there', async () => {
    const { code: aliceCode } = await aliceAtGuangdong();
    const hubToken = await signIn(hub, ALICE);
    const link = await call(hub, 'POST', '/api/v1/me/linked-codes', { code: aliceCode }, hubToken);
    assert.equal(link.status, 200, JSON.stringify(link.json));
    assert.equal(link.json.province, '440000');
    // Bob cannot link Alice's code: the node says it is not his.
    const bobToken = await signIn(hub, BOB);
    const theft = await call(hub, 'POST', '/api/v1/me/linked-codes', { code: aliceCode }, bobToken);
    assert.equal(theft.status, 403);
    assert.equal((theft.json.error as { code: string }).code, 'YMT_ERR_LINK_NOT_OWNER');
    const all = await call(hub, 'GET', '/api/v1/me/linked-codes', undefined, hubToken);
    const linked = all.json.linked as { province: string; source: string; colour: string }[];
    assert.deepEqual(
      linked.map((l) => [l.province, l.source, l.colour]),
      [['440000', 'live', 'green']],
    );
  });

  test("a province's yellow is pushed to the hub and counts in the national status", async () => {
    const fever = { ...HEALTHY_DECLARATION, temperature: 38.4, phone: BOB.phone };
    const bobNode = await signIn(at('440000'), BOB, fed.hubDataDir);
    assert.equal((await call(at('440000'), 'POST', '/api/v1/me/declaration', fever, bobNode)).status, 201);
    const bobHub = await signIn(hub, BOB);
    const health = await eventually('the pushed status at the hub', async () => {
      const h = await call(hub, 'GET', '/api/v1/me/health', undefined, bobHub);
      return h.json.colour === 'yellow' ? h.json : undefined;
    });
    const reasons = health.reasons as { code: string; evidence: { source: string } }[];
    assert.ok(reasons.some((r) => r.code.startsWith('PROVINCE_') && r.evidence.source === 'province:440000'));
  });

  test("with the holder's consent, Beijing's checkpoint reads the national status through its node; Shanghai cannot use that consent", async () => {
    const hubToken = await signIn(hub, ALICE);
    const consent = await call(
      hub,
      'POST',
      '/api/v1/me/consents',
      { province: '110000', minutes: 5 },
      hubToken,
    );
    assert.equal(consent.status, 200);
    const token = String(consent.json.token);
    const bj = await call(at('110000'), 'POST', '/api/v1/checkpoint/national-status', {
      consentToken: token,
    });
    assert.equal(bj.status, 200, JSON.stringify(bj.json));
    assert.equal(bj.json.colour, 'green');
    assert.match(String(bj.json.maskedName), /\*/);
    // The same from the node's scanner page, as checkpoint staff use it (Chromium).
    const browser = await launch();
    try {
      const page = await (await desk(browser)).newPage();
      await page.goto(`${at('110000')}/scan/`);
      await page.getByLabel('授权码', { exact: true }).fill(token);
      await page.getByRole('button', { name: '查询', exact: true }).click();
      await page.getByTestId('national-status').getByText('绿码').waitFor();
      // A node's checkpoints are in its province unless they choose otherwise.
      assert.equal(await page.getByLabel('本查验点所在省份').inputValue(), '110000');
    } finally {
      await browser.close();
    }
    const sh = await call(at('310000'), 'POST', '/api/v1/checkpoint/national-status', {
      consentToken: token,
    });
    assert.equal(sh.status, 403);
    assert.equal((sh.json.error as { code: string }).code, 'YMT_ERR_CONSENT_INVALID');
  });

  test("a province cannot read or answer another province's reports, nor revoke its keys", async () => {
    const hubToken = await signIn(hub, ALICE);
    const report = await call(
      hub,
      'POST',
      '/api/v1/me/reports/non-recognition',
      { region: '310104', at: new Date().toISOString(), checkpointId: 'SH-XUHUI-07', issuer: '440000' },
      hubToken,
    );
    assert.equal(report.status, 201, JSON.stringify(report.json));
    assert.equal(report.json.province, '310000');
    assert.equal(report.json.hotline, '12345');
    const ticketId = String(report.json.ticketId);

    const gd = await asProvince('440000').call('GET', '/api/v1/federation/reports');
    assert.equal(gd.status, 200);
    assert.deepEqual(gd.body, { reports: [] });
    const steal = await asProvince('440000').call('POST', `/api/v1/federation/reports/${ticketId}/answer`, {
      answer: 'x',
    });
    assert.equal(steal.status, 404);
    const sh = await asProvince('310000').call('GET', '/api/v1/federation/reports');
    assert.deepEqual(
      (sh.body as { reports: { ticketId: string }[] }).reports.map((r) => r.ticketId),
      [ticketId],
    );
    const answered = await asProvince('310000').call(
      'POST',
      `/api/v1/federation/reports/${ticketId}/answer`,
      {
        answer: '已核实，检查点已更新规则',
      },
    );
    assert.equal(answered.status, 200);
    const mine = await call(hub, 'GET', '/api/v1/me/reports', undefined, hubToken);
    assert.equal((mine.json.reports as { status: string }[])[0]?.status, 'answered');

    const bjKeys = await asProvince('110000').call('GET', '/api/v1/federation/signing-keys');
    const bjKid = (bjKeys.body as { keys: { kid: string }[] }).keys[0]?.kid;
    assert.ok(bjKid);
    const revoke = await asProvince('440000').call(
      'POST',
      `/api/v1/federation/signing-keys/${bjKid}/revoke`,
      { reason: 'x' },
    );
    assert.equal(revoke.status, 404);
    // Unsigned requests are refused.
    assert.equal((await call(hub, 'GET', '/api/v1/federation/reports')).status, 401);
    // A node answers questions about its holders only to the hub: not unsigned, not to another province.
    const ask = { documentType: ALICE.documentType, documentNumber: ALICE.documentNumber };
    assert.equal((await call(at('440000'), 'POST', '/api/v1/federation/holder-status', ask)).status, 401);
    const nosy = new SignedClient({ ...asProvince('110000').options, baseUrl: at('440000') });
    assert.equal((await nosy.call('POST', '/api/v1/federation/holder-status', ask)).status, 401);
  });

  // Last: it revokes the key Alice's code was signed with.
  test('a revoked Guangdong key fails everywhere after the next refresh; Guangdong rotates and its new codes verify', async () => {
    const { code: aliceCode, token: aliceNodeToken } = await aliceAtGuangdong();
    const before = await call(at('110000'), 'POST', '/api/v1/verify', { code: aliceCode });
    assert.equal(before.json.valid, true);
    const keys = await asProvince('440000').call('GET', '/api/v1/federation/signing-keys');
    const kid = (keys.body as { keys: { kid: string; revokedAt?: string }[] }).keys.find(
      (k) => !k.revokedAt,
    )?.kid;
    assert.ok(kid);
    const cli = spawnSync(
      process.execPath,
      [BIN, 'provinces', 'revoke-key', kid, '--reason', 'key compromised (test)'],
      {
        env: fed.env(),
        encoding: 'utf8',
      },
    );
    assert.equal(cli.status, 0, cli.stderr);
    // The hub within REVISION_MAX_LAG_MS (the revocation was made by another process on its database; the bound
    // leaves room for a busy machine's round trips: not a timing test of the lag); every node after its next
    // trust-list refresh.
    await eventually(
      'revocation at the hub',
      async () => {
        const r = await call(hub, 'POST', '/api/v1/verify', { code: aliceCode });
        return (r.json.error as { code?: string } | undefined)?.code === 'YMT_ERR_CODE_KEY_REVOKED'
          ? true
          : undefined;
      },
      REVISION_MAX_LAG_MS + 10_000,
    );
    for (const code of ['110000', '310000', '440000']) {
      await eventually(`revocation at ${code}`, async () => {
        const r = await call(at(code), 'POST', '/api/v1/verify', { code: aliceCode });
        return (r.json.error as { code?: string } | undefined)?.code === 'YMT_ERR_CODE_KEY_REVOKED'
          ? true
          : undefined;
      });
    }
    // Guangdong rotated on its own; a fresh code verifies in Beijing again.
    const fresh = await eventually('a code from the rotated key', async () => {
      const c = await call(at('440000'), 'GET', '/api/v1/me/code', undefined, aliceNodeToken);
      if (c.json.code === aliceCode) return undefined;
      const v = await call(at('110000'), 'POST', '/api/v1/verify', {
        code: String(c.json.code),
        checkpointRegion: '110105',
      });
      return v.json.valid === true ? v.json : undefined;
    });
    assert.equal(fresh.decision, 'accept');
  });
});
