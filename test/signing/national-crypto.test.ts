/**
 * Switching a running hub to national cryptography (docs/operations.md#national-cryptography), on both engines:
 * SIGNING_ALGORITHM=SM2 and FIELD_CIPHER=SM4-GCM, then `yimatong keys rotate`, over the data and the codes the hub
 * made with ES256 and AES-256-GCM.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { compose, type Parts } from '../../src/app/compose.ts';
import { base45Decode } from '../../src/codec/base45.ts';
import { ALGORITHMS, coseAlgorithm, decodeCoseSign1 } from '../../src/codec/cose.ts';
import { loadTrustList, type TrustAnchor, type TrustListDocument } from '../../src/codec/trust-list.ts';
import { verifyCode } from '../../src/codec/verify.ts';
import { webCryptoProvider } from '../../src/codec/webcrypto.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { keyStoreFor } from '../../src/signing/keystore.ts';
import { ENGINES, TEST_PG_URL, TestClock, TESTS_LOOP_DELAY, type EngineName } from '../helpers/context.ts';
import { ALICE, BOB, bearer, declaredHolder, signIn } from '../helpers/people.ts';

type Hub = { parts: Parts; app: Awaited<ReturnType<typeof buildApp>> };

function algOf(code: string): unknown {
  const bytes = base45Decode(code.slice(5));
  assert.ok(bytes);
  return coseAlgorithm(decodeCoseSign1(bytes));
}

for (const engine of ENGINES) {
  describe(`switching to national cryptography (${engine})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ymt-sm-'));
    const schema = engine === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
    const clock = new TestClock();
    const env = (e: EngineName, extra: Record<string, string>) => ({
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
      ...TESTS_LOOP_DELAY,
      ...(e === 'postgres' ? { DATABASE_URL: TEST_PG_URL } : {}),
      ...extra,
    });
    async function start(extra: Record<string, string>): Promise<Hub> {
      const parts = await compose(loadConfig(env(engine, extra)), {
        clock: clock.now,
        ...(schema ? { pgSchema: schema } : {}),
      });
      return { parts, app: await buildApp(parts) };
    }
    after(() => {
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('old fields stay readable, new ones are SM4-GCM; new codes are SM2 and old ones still verify', async () => {
      const before = await start({});
      const aliceToken = await declaredHolder(before, ALICE);
      const esCode = (
        await before.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(aliceToken) })
      ).json<{ code: string }>().code;
      assert.equal(algOf(esCode), ALGORITHMS.ES256.id);
      await before.app.close();
      await before.parts.close();

      // The operator's switch: the two settings, then a rotation (`yimatong keys rotate`) for the signing key.
      const national = { SIGNING_ALGORITHM: 'SM2', FIELD_CIPHER: 'SM4-GCM' };
      keyStoreFor(loadConfig(env(engine, national))).rotate(clock.now());
      clock.advance(1);
      const hub = await start(national);
      try {
        // Alice's fields were written with AES-256-GCM: still read (she signs in by name, and her declaration shows).
        const again = await signIn(hub.app, ALICE);
        const mine = await hub.app.inject({
          method: 'GET',
          url: '/api/v1/me/declaration',
          headers: bearer(again),
        });
        assert.equal(mine.statusCode, 200);
        assert.match(mine.body, /深圳市南山区/);
        // Bob's are written now: SM4-GCM, named so in the stored form; Alice's stay as they were.
        await declaredHolder(hub, BOB);
        const rows = await sql<{ name_enc: string }>`select name_enc from persons`.execute(hub.parts.db);
        const forms = rows.rows.map((r) => (r.name_enc.startsWith('sm4gcm.') ? 'sm4' : 'aes')).sort();
        assert.deepEqual(forms, ['aes', 'sm4']);
        const bob = await signIn(hub.app, BOB);
        assert.match(
          (await hub.app.inject({ method: 'GET', url: '/api/v1/me/declaration', headers: bearer(bob) })).body,
          /深圳市南山区/,
        );

        // A code issued now is SM2, and verifies at the hub; the ES256 code of before still does.
        const smCode = (
          await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(again) })
        ).json<{ code: string }>().code;
        assert.equal(algOf(smCode), ALGORITHMS.SM2.id);
        for (const code of [smCode, esCode]) {
          const r = await hub.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { code } });
          assert.equal(r.json<{ valid: boolean }>().valid, true, r.body);
        }

        // The trust list binds each key to its algorithm, and a checkpoint with WebCrypto alone verifies both.
        const doc = (
          await hub.app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-list' })
        ).json<TrustListDocument>();
        assert.deepEqual(doc.keys.map((k) => `${k.crv}/${k.alg}`).sort(), ['P-256/ES256', 'SM2/SM2']);
        // The anchor was made under ES256 and stays so (it changes only with a new anchor, pinned everywhere).
        assert.equal(doc.signature.alg, 'ES256');
        const anchor = (
          await hub.app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-anchor' })
        ).json<TrustAnchor>();
        const loaded = await loadTrustList(doc, anchor, clock.nowMs, webCryptoProvider());
        assert.ok(loaded.ok);
        for (const code of [smCode, esCode]) {
          const r = await verifyCode(code, loaded.trustList, clock.nowMs, { crypto: webCryptoProvider() });
          assert.equal(r.valid, true);
        }
      } finally {
        await hub.app.close();
        await hub.parts.close();
      }
    });

    test('a hub first started with SIGNING_ALGORITHM=SM2 signs its trust list with an SM2 anchor', async () => {
      const fresh = mkdtempSync(join(tmpdir(), 'ymt-sm-'));
      const parts = await compose(
        loadConfig({ ...env(engine, { SIGNING_ALGORITHM: 'SM2' }), DATA_DIR: fresh }),
        { clock: clock.now, ...(schema ? { pgSchema: `${schema}_a` } : {}) },
      );
      const app = await buildApp(parts);
      try {
        const anchor = (
          await app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-anchor' })
        ).json<TrustAnchor>();
        assert.equal(anchor.crv, 'SM2');
        const doc = (
          await app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-list' })
        ).json<TrustListDocument>();
        assert.equal(doc.signature.alg, 'SM2');
        const loaded = await loadTrustList(doc, anchor, clock.nowMs, webCryptoProvider());
        assert.ok(loaded.ok);
        // The same list under a P-256 anchor of the same kid, or claiming ES256, is refused.
        const claimed = { ...doc, signature: { ...doc.signature, alg: 'ES256' } };
        assert.deepEqual(await loadTrustList(claimed, anchor, clock.nowMs, webCryptoProvider()), {
          ok: false,
          error: 'YMT_ERR_TRUST_LIST_SIGNATURE',
        });
        const token = await declaredHolder({ parts, app }, ALICE);
        const code = (
          await app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(token) })
        ).json<{ code: string }>().code;
        const r = await verifyCode(code, loaded.trustList, clock.nowMs, { crypto: webCryptoProvider() });
        assert.equal(r.valid, true);
      } finally {
        await app.close();
        await parts.close();
        rmSync(fresh, { recursive: true, force: true });
      }
    });
  });
}
