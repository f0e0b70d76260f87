import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadTrustList } from '../../src/codec/trust-list.ts';
import { signCode } from '../../src/codec/token.ts';
import { verifyCode } from '../../src/codec/verify.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import { nodeCryptoProvider } from '../../src/signing/node-crypto.ts';
import { buildTrustList, KeyringCache } from '../../src/signing/trust-list.service.ts';
import { claims, T0 } from '../helpers/codec-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'ymt-keys-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});
const options = {
  issuer: { iss: 'CN', name: '全国', nameEn: 'National' },
  validityHours: 168,
  retentionSeconds: 960,
};

async function verifyAt(store: KeyStore, text: string, at: number): Promise<string> {
  const ring = store.read();
  const doc = buildTrustList(ring, new Date(at), options);
  const loaded = await loadTrustList(
    doc,
    { ...ring.anchor.publicJwk, kid: ring.anchor.kid },
    at,
    nodeCryptoProvider,
  );
  assert.ok(loaded.ok);
  const r = await verifyCode(text, loaded.trustList, at, { crypto: nodeCryptoProvider });
  return r.valid ? 'valid' : r.error;
}

test('first start creates an anchor and a signing key, owner-only, and does it once', () => {
  const store = new KeyStore(join(dir, 'a'), 960);
  assert.deepEqual(store.ensure(new Date(T0)), ['trust-anchor', 'signing-key']);
  assert.deepEqual(store.ensure(new Date(T0)), []);
  assert.equal(statSync(store.signingFile).mode & 0o777, 0o600);
  assert.equal(statSync(store.anchorFile).mode & 0o777, 0o600);
  const ring = store.read();
  assert.equal(ring.generation, 1);
  assert.equal(ring.keys.length, 1);
  assert.notEqual(ring.anchor.kid, ring.activeKid);
});

test('rotation: the old key stays in the trust list until its last code has expired', async () => {
  const store = new KeyStore(join(dir, 'b'), 960);
  store.ensure(new Date(T0));
  const oldKid = store.read().activeKid;
  const iat = Math.floor(T0 / 1000) + 100;
  const oldCode = signCode(claims({ iat }), store.read().signer);

  const rotatedAt = T0 + 200_000;
  const r = store.rotate(new Date(rotatedAt));
  assert.equal(r.retiredKid, oldKid);
  assert.notEqual(r.activeKid, oldKid);
  const ring = store.read();
  assert.equal(ring.generation, 2);
  assert.equal(ring.activeKid, r.activeKid);

  const listed = buildTrustList(ring, new Date(rotatedAt), options).keys;
  assert.deepEqual(listed.map((k) => k.kid).sort(), [oldKid, r.activeKid].sort());
  assert.equal(listed.find((k) => k.kid === oldKid)?.notAfter, new Date(rotatedAt + 960_000).toISOString());

  // The code signed before the rotation verifies until it expires …
  assert.equal(await verifyAt(store, oldCode, rotatedAt + 60_000), 'valid');
  // … and once the retention has passed the old key is gone from the list.
  const later = rotatedAt + 961_000;
  assert.ok(!buildTrustList(ring, new Date(later), options).keys.some((k) => k.kid === oldKid));
  assert.equal(await verifyAt(store, oldCode, later), 'YMT_ERR_CODE_KID_UNKNOWN');

  // A later rotation prunes it from the key file.
  const again = store.rotate(new Date(later));
  assert.deepEqual(again.removedKids, [oldKid]);
  assert.equal(store.read().keys.length, 2);
});

test('a running hub picks up a rotation made by another process', async () => {
  const store = new KeyStore(join(dir, 'c'), 960);
  store.ensure(new Date(T0));
  const cache = new KeyringCache(store, options, 10_000);
  const before = cache.current(T0).activeKid;
  const first = await cache.trustList(new Date(T0));
  assert.equal(first.doc.version, 1);
  // Another process (`yimatong keys rotate`) writes the file.
  const rotated = new KeyStore(join(dir, 'c'), 960).rotate(new Date(T0 + 1000));
  assert.equal(cache.current(T0 + 5000).activeKid, before, 'not re-read before the reload interval');
  assert.equal(cache.current(T0 + 11_000).activeKid, rotated.activeKid);
  const second = await cache.trustList(new Date(T0 + 11_000));
  assert.equal(second.doc.version, 2);
  assert.equal(second.doc.keys.length, 2);
});

test('a rotation whose audit entry cannot be written is undone: the key file is put back as it was', async () => {
  const store = new KeyStore(join(dir, 'undo'), 960);
  store.ensure(new Date(T0));
  const before = store.read();
  await assert.rejects(
    store.rotateThen(new Date(T0 + 60_000), () => Promise.reject(new Error('database unavailable'))),
    /database unavailable/,
  );
  const after = store.read();
  assert.equal(after.generation, before.generation);
  assert.equal(after.activeKid, before.activeKid);
  assert.deepEqual(
    after.keys.map((k) => k.kid),
    before.keys.map((k) => k.kid),
  );
  const done = await store.rotateThen(new Date(T0 + 60_000), (r) => Promise.resolve(r));
  assert.equal(done.retiredKid, before.activeKid);
  assert.equal(store.read().activeKid, done.activeKid);
});
