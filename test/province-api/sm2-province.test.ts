/**
 * National cryptography across the federation, on SQLite and PostgreSQL: a province that signs its codes with
 * SM2 (SIGNING_ALGORITHM=SM2 on its node) certifies its SM2 key with its ES256 root; the hub lists the key bound
 * to SM2, and its codes verify at the hub and at any checkpoint holding the list (WebCrypto, as in the browser).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CODE_LIFETIME_SECONDS, signCode } from '../../src/codec/token.ts';
import { loadTrustList, type TrustAnchor, type TrustListDocument } from '../../src/codec/trust-list.ts';
import { verifyCode } from '../../src/codec/verify.ts';
import { webCryptoProvider } from '../../src/codec/webcrypto.ts';
import { signRequest } from '../../src/federation/request-signature.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';

for (const engine of ENGINES) {
  describe(`a province signing with SM2 (${engine})`, () => {
    let hub: TestApp;
    let store: KeyStore;
    let keys: ProvinceKeys;
    before(async () => {
      hub = await startApp(engine);
      // What keyStoreFor(config, 'province') makes on a node with SIGNING_ALGORITHM=SM2.
      store = new KeyStore(join(hub.dataDir, 'provinces', '440000', 'keys'), CODE_LIFETIME_SECONDS + 60, {
        codes: 'SM2',
        anchor: 'ES256',
      });
      keys = new ProvinceKeys(store, '440000');
      await hub.parts.services.provinces.enrol(keys.ensure(hub.clock.now()), hub.clock.now());
    });
    after(() => hub.close());

    test('its SM2 key is listed bound to SM2, and its codes verify at the hub and offline', async () => {
      const ring = store.read();
      assert.equal(ring.keys[0]?.alg, 'SM2');
      assert.equal(ring.anchor.alg, 'ES256');
      const [certificate] = keys.certificates(ring);
      const url = '/api/v1/federation/signing-keys';
      const body = { certificate };
      const res = await hub.app.inject({
        method: 'POST',
        url,
        headers: signRequest(
          { method: 'POST', path: url, caller: '440000', body },
          keys.accessSigner(),
          hub.clock.now(),
        ),
        payload: body,
      });
      assert.equal(res.statusCode, 200, res.body);
      const doc = (
        await hub.app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-list' })
      ).json<TrustListDocument>();
      const listed = doc.keys.find((k) => k.kid === certificate?.kid);
      assert.deepEqual([listed?.iss, listed?.crv, listed?.alg], ['440000', 'SM2', 'SM2']);

      const iat = Math.floor(hub.clock.nowMs / 1000);
      const code = signCode(
        {
          iss: '440000',
          iat,
          exp: iat + CODE_LIFETIME_SECONDS,
          cti: randomBytes(16),
          colour: 'green',
          maskedName: '*小三',
        },
        ring.signer,
      );
      const v = await hub.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { code } });
      assert.deepEqual(
        [v.json<{ valid: boolean }>().valid, v.json<{ issuer: string }>().issuer],
        [true, '440000'],
        v.body,
      );
      const anchor = (
        await hub.app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-anchor' })
      ).json<TrustAnchor>();
      const loaded = await loadTrustList(doc, anchor, hub.clock.nowMs, webCryptoProvider());
      assert.ok(loaded.ok);
      const offline = await verifyCode(code, loaded.trustList, hub.clock.nowMs, {
        crypto: webCryptoProvider(),
      });
      assert.equal(offline.valid && offline.issuer, '440000');
    });
  });
}
