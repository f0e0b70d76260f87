import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTrustList, type TrustListDocument } from '../../src/codec/trust-list.ts';
import { nodeCryptoProvider } from '../../src/signing/node-crypto.ts';
import { anchorOf, makeKey, T0, trustListDoc } from '../helpers/codec-fixtures.ts';

const anchor = makeKey();
const issuer = makeKey();

async function load(doc: unknown, pinned = anchorOf(anchor), now = T0) {
  const r = await loadTrustList(doc, pinned, now, nodeCryptoProvider);
  return r.ok ? 'ok' : r.error;
}

test('a list signed by the pinned anchor loads, with its keys', async () => {
  const doc = trustListDoc(anchor, [{ key: issuer }]);
  const r = await loadTrustList(doc, anchorOf(anchor), T0, nodeCryptoProvider);
  assert.ok(r.ok);
  assert.deepEqual([...r.trustList.keys.keys()], [issuer.kidText]);
  assert.equal(r.trustList.keys.get(issuer.kidText)?.iss, 'CN');
});

test('the member order of the JSON does not matter; its content does', async () => {
  const doc = trustListDoc(anchor, [{ key: issuer }]);
  const reordered = Object.fromEntries(Object.entries(doc).reverse());
  assert.equal(await load(reordered), 'ok');
  const extra = { ...doc, comment: 'added after signing, ignored' };
  assert.equal(await load(extra), 'ok');
});

test('a list changed after signing is refused', async () => {
  const doc = trustListDoc(anchor, [{ key: issuer }]);
  const intruder = makeKey();
  const swapped: TrustListDocument = {
    ...doc,
    keys: doc.keys.map((k) => ({ ...k, x: intruder.jwk.x, y: intruder.jwk.y })),
  };
  assert.equal(await load(swapped), 'YMT_ERR_TRUST_LIST_SIGNATURE');
  assert.equal(
    await load({ ...doc, expiresAt: new Date(T0 + 365 * 86400_000).toISOString() }),
    'YMT_ERR_TRUST_LIST_SIGNATURE',
  );
});

test('a list signed by another anchor is refused', async () => {
  const doc = trustListDoc(makeKey(), [{ key: issuer }]);
  assert.equal(await load(doc), 'YMT_ERR_TRUST_LIST_SIGNATURE');
  const otherKid = {
    ...trustListDoc(anchor, [{ key: issuer }]),
    signature: { alg: 'ES256', kid: 'AAAAAAAAAAA', value: 'x' },
  };
  assert.equal(await load(otherKid), 'YMT_ERR_TRUST_LIST_SIGNATURE');
});

test('an expired list is refused', async () => {
  const doc = trustListDoc(anchor, [{ key: issuer }], { expiresAt: T0 - 1000 });
  assert.equal(await load(doc), 'YMT_ERR_TRUST_LIST_EXPIRED');
});

test('malformed lists are refused, never thrown', async () => {
  const doc = trustListDoc(anchor, [{ key: issuer }]);
  for (const bad of [
    null,
    'text',
    [],
    {},
    { ...doc, format: 'other' },
    { ...doc, keys: 'none' },
    { ...doc, keys: [{ ...doc.keys[0], kty: 'RSA' }] },
    { ...doc, keys: [{ ...doc.keys[0], notBefore: 'yesterday' }] },
    { ...doc, signature: undefined },
  ]) {
    assert.equal(await load(bad), 'YMT_ERR_TRUST_LIST_INVALID', 'malformed list');
  }
  const badPoint = trustListDoc(anchor, [{ key: { ...issuer, jwk: { ...issuer.jwk, x: 'AAAA' } } }]);
  assert.equal(await load(badPoint), 'YMT_ERR_TRUST_LIST_INVALID');
});
