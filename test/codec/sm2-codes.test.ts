/** Codes and trust lists signed with SM2 go through the same verifier as ES256 ones, and never pass for them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { base64urlEncode } from '../../src/codec/base64url.ts';
import { encodeProtectedHeader, sigStructure, writeCoseSign1 } from '../../src/codec/cose.ts';
import { CborWriter } from '../../src/codec/cbor.ts';
import { base45Encode } from '../../src/codec/base45.ts';
import type { CryptoProvider } from '../../src/codec/crypto-provider.ts';
import { encodeClaims, signCode, YMT_PREFIX, type CodeSigner } from '../../src/codec/token.ts';
import {
  loadTrustList,
  signTrustList,
  TRUST_LIST_FORMAT,
  type TrustAnchor,
  type TrustListKeyJwk,
} from '../../src/codec/trust-list.ts';
import { verifyCode, type VerifyResult } from '../../src/codec/verify.ts';
import { webCryptoProvider } from '../../src/codec/webcrypto.ts';
import { nodeCryptoProvider } from '../../src/signing/node-crypto.ts';
import { loadSigningKey, newPrivateJwk, type LoadedSigningKey } from '../../src/signing/signing-keys.ts';
import { claims, T0 } from '../helpers/codec-fixtures.ts';

const es = loadSigningKey(newPrivateJwk('ES256'));
const sm = loadSigningKey(newPrivateJwk('SM2'));
const smAnchor = loadSigningKey(newPrivateJwk('SM2'));
const esAnchor = loadSigningKey(newPrivateJwk('ES256'));

function signer(key: LoadedSigningKey, alg = key.alg): CodeSigner {
  return { kid: key.kid, protectedHeader: encodeProtectedHeader(alg, key.kid), sign: (d) => key.sign(d) };
}

function listed(key: LoadedSigningKey, overrides: Partial<TrustListKeyJwk> = {}): TrustListKeyJwk {
  return {
    ...key.publicJwk,
    kid: base64urlEncode(key.kid),
    alg: key.alg,
    use: 'sig',
    iss: 'CN',
    notBefore: new Date(T0 - 86400_000).toISOString(),
    ...overrides,
  };
}

function doc(anchor: LoadedSigningKey, keys: TrustListKeyJwk[], alg = anchor.alg) {
  return signTrustList(
    {
      format: TRUST_LIST_FORMAT,
      version: 1,
      issuedAt: new Date(T0 - 3600_000).toISOString(),
      expiresAt: new Date(T0 + 86400_000).toISOString(),
      issuers: [{ iss: 'CN', name: '全国', nameEn: 'National' }],
      keys,
    },
    base64urlEncode(anchor.kid),
    (d) => anchor.sign(d),
    alg,
  );
}

const pin = (a: LoadedSigningKey): TrustAnchor => ({ ...a.publicJwk, kid: base64urlEncode(a.kid) });
const errorOf = (r: VerifyResult) => (r.valid ? 'valid' : r.error);

for (const [name, crypto] of [
  ['node:crypto', nodeCryptoProvider],
  ['WebCrypto (the browser scanner)', webCryptoProvider()],
] as [string, CryptoProvider][]) {
  describe(`SM2 through ${name}`, async () => {
    const loaded = await loadTrustList(doc(smAnchor, [listed(es), listed(sm)]), pin(smAnchor), T0, crypto);
    assert.ok(loaded.ok);
    const list = loaded.trustList;

    test('an SM2 code and an ES256 code verify under one SM2-signed list', async () => {
      assert.equal(errorOf(await verifyCode(signCode(claims(), signer(sm)), list, T0, { crypto })), 'valid');
      assert.equal(errorOf(await verifyCode(signCode(claims(), signer(es)), list, T0, { crypto })), 'valid');
      assert.equal(list.keys.get(base64urlEncode(sm.kid))?.alg, 'SM2');
    });

    test('no confusion: a code must carry the algorithm its key is bound to', async () => {
      // An SM2 signature under an ES256 header, and an ES256 one under an SM2 header.
      for (const forged of [signer(sm, 'ES256'), signer(es, 'SM2')])
        assert.equal(
          errorOf(await verifyCode(signCode(claims(), forged), list, T0, { crypto })),
          'YMT_ERR_CODE_ALGORITHM',
        );
      // A verifier that allows ES256 only refuses SM2 codes.
      const esOnly = { crypto, algorithms: ['ES256'] as const };
      assert.equal(
        errorOf(await verifyCode(signCode(claims(), signer(sm)), list, T0, esOnly)),
        'YMT_ERR_CODE_ALGORITHM',
      );
    });

    test('a damaged SM2 signature, or one by another SM2 key under its kid, is refused', async () => {
      const payload = encodeClaims(claims());
      const header = encodeProtectedHeader('SM2', sm.kid);
      const other = loadSigningKey(newPrivateJwk('SM2'));
      const good = sm.sign(sigStructure(header, payload));
      const bent = Uint8Array.from(good);
      bent[40] = (bent[40] ?? 0) ^ 1;
      for (const sig of [bent, other.sign(sigStructure(header, payload)), good.subarray(0, 63)]) {
        const text =
          YMT_PREFIX + base45Encode(writeCoseSign1(new CborWriter(), header, payload, sig).finish());
        assert.equal(errorOf(await verifyCode(text, list, T0, { crypto })), 'YMT_ERR_CODE_SIGNATURE');
      }
    });

    test('a list that binds a curve to the other algorithm does not load', async () => {
      for (const bad of [listed(sm, { alg: 'ES256' }), listed(es, { alg: 'SM2' })])
        assert.deepEqual(await loadTrustList(doc(smAnchor, [bad]), pin(smAnchor), T0, crypto), {
          ok: false,
          error: 'YMT_ERR_TRUST_LIST_INVALID',
        });
    });

    test("the pinned anchor's curve names the list's algorithm: a claimed other one is refused", async () => {
      for (const [anchor, claimed] of [
        [smAnchor, 'ES256'],
        [esAnchor, 'SM2'],
      ] as const)
        assert.deepEqual(await loadTrustList(doc(anchor, [listed(sm)], claimed), pin(anchor), T0, crypto), {
          ok: false,
          error: 'YMT_ERR_TRUST_LIST_SIGNATURE',
        });
      const esList = await loadTrustList(doc(esAnchor, [listed(sm)]), pin(esAnchor), T0, crypto);
      assert.ok(esList.ok);
    });
  });
}
