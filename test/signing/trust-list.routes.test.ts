import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { base45Decode } from '../../src/codec/base45.ts';
import { base64urlEncode } from '../../src/codec/base64url.ts';
import { coseKid, decodeCoseSign1 } from '../../src/codec/cose.ts';
import { loadTrustList, type TrustAnchor, type TrustListDocument } from '../../src/codec/trust-list.ts';
import { verifyCode } from '../../src/codec/verify.ts';
import { webCryptoProvider } from '../../src/codec/webcrypto.ts';
import { loadAcceptanceRuleSets } from '../../src/recognition/acceptance.registry.ts';
import { startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, bearer, HEALTHY_DECLARATION, register, signIn } from '../helpers/people.ts';

describe('the published trust list', () => {
  let hub: TestApp;
  before(async () => {
    hub = await startApp('sqlite');
  });
  after(() => hub.close());

  test('is signed by the anchor and lists the hub key whose kid is in every code', async () => {
    const anchor = (
      await hub.app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-anchor' })
    ).json<TrustAnchor>();
    const res = await hub.app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-list' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['cache-control']), /max-age/);
    const doc = res.json<TrustListDocument>();
    assert.equal(doc.issuers[0]?.iss, 'CN');
    // A checkpoint refreshes cheaply: the same ETag back is a 304 without a body; another one gets the list.
    const etag = String(res.headers.etag);
    assert.match(etag, /^"\d+-[A-Za-z0-9_-]+"$/);
    const again = await hub.app.inject({
      method: 'GET',
      url: '/.well-known/yimatong/trust-list',
      headers: { 'if-none-match': etag },
    });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    const stale = await hub.app.inject({
      method: 'GET',
      url: '/.well-known/yimatong/trust-list',
      headers: { 'if-none-match': '"0-old"' },
    });
    assert.equal(stale.statusCode, 200);
    const [key] = doc.keys;
    assert.ok(key);
    assert.deepEqual(Object.keys(key).sort(), [
      'alg',
      'crv',
      'iss',
      'kid',
      'kty',
      'notBefore',
      'use',
      'x',
      'y',
    ]);
    assert.equal(key.kty, 'EC');

    // A checkpoint with only WebCrypto loads it offline and verifies a holder's code.
    const loaded = await loadTrustList(doc, anchor, hub.clock.nowMs, webCryptoProvider());
    assert.ok(loaded.ok);
    // The acceptance rules travel signed with the keys: a checkpoint applies them offline, and a changed rule
    // breaks the signature.
    // Shipped: the national set alone (recognition by default; provinces publish stricter ones).
    assert.deepEqual(
      loaded.trustList.acceptanceRules.map((r) => r.id),
      ['national-acceptance'],
    );
    const sets = loadAcceptanceRuleSets(loaded.trustList.acceptanceRules);
    assert.ok(sets.ok && sets.sets.length === 1);
    const rules = doc.acceptanceRules ?? [];
    const tampered = {
      ...doc,
      acceptanceRules: rules.map((r, i) =>
        i === 0 ? { ...r, otherwise: { decision: 'accept', text: '放行', textEn: 'Let through' } } : r,
      ),
    };
    const refused = await loadTrustList(tampered, anchor, hub.clock.nowMs, webCryptoProvider());
    assert.deepEqual(refused, { ok: false, error: 'YMT_ERR_TRUST_LIST_SIGNATURE' });
    await register(hub.parts, ALICE);
    const token = await signIn(hub.app, ALICE);
    await hub.app.inject({
      method: 'POST',
      url: '/api/v1/me/declaration',
      headers: bearer(token),
      payload: HEALTHY_DECLARATION,
    });
    const code = (
      await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(token) })
    ).json<{ code: string }>().code;
    const bytes = base45Decode(code.slice(5));
    assert.ok(bytes);
    const kid = coseKid(decodeCoseSign1(bytes));
    assert.ok(kid);
    assert.equal(base64urlEncode(kid), key.kid);
    const r = await verifyCode(code, loaded.trustList, hub.clock.nowMs, { crypto: webCryptoProvider() });
    assert.equal(r.valid, true);
  });
});
