/** The two-level trust's certificate and the signed requests between hub and nodes: pure checks. */
import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import { base64urlEncode } from '../../src/codec/base64url.ts';
import type { EcPublicJwk } from '../../src/codec/crypto-provider.ts';
import {
  certifyKey,
  checkKeyCertificate,
  KEY_CERTIFICATE_FORMAT,
  kidOfJwk,
  verifyingKeyOfJwk,
} from '../../src/federation/key-certificate.ts';
import {
  checkSignedRequest,
  HEADER_DATE,
  NonceMemory,
  signRequest,
} from '../../src/federation/request-signature.ts';
import { es256Sign, newP256KeyPair } from '../../src/signing/node-crypto.ts';
import { loadSigningKey, newPrivateJwk } from '../../src/signing/signing-keys.ts';

function keyPair(): { priv: KeyObject; pub: KeyObject; jwk: EcPublicJwk } {
  const { privateKey, publicKey } = newP256KeyPair();
  const j = publicKey.export({ format: 'jwk' });
  return {
    priv: privateKey,
    pub: publicKey,
    jwk: { kty: 'EC', crv: 'P-256', x: String(j.x), y: String(j.y) },
  };
}

const NOW = Date.parse('2026-11-27T02:00:00Z');
const root = keyPair();
const signing = keyPair();
const body = {
  format: KEY_CERTIFICATE_FORMAT,
  iss: '440000',
  kid: kidOfJwk(signing.jwk),
  publicJwk: signing.jwk,
  notBefore: '2026-11-27T00:00:00.000Z',
  notAfter: '2026-12-27T00:00:00.000Z',
  rootKid: kidOfJwk(root.jwk),
} as const;
const expected = { iss: '440000', root: root.jwk, rootKid: kidOfJwk(root.jwk) };
const sign = (data: Uint8Array) => es256Sign(root.priv, data);
const problemOf = (r: ReturnType<typeof checkKeyCertificate>): string => (r.ok ? 'none' : r.problem);

describe('key certificates', () => {
  test('a certificate signed by the enrolled root passes, with its window', () => {
    const r = checkKeyCertificate(certifyKey(body, sign), expected, NOW);
    assert.ok(r.ok, problemOf(r));
    assert.equal(r.notAfter - r.notBefore, 30 * 86400_000);
  });

  const cases: [string, (c: Record<string, unknown>) => Record<string, unknown>, RegExp][] = [
    [
      'a changed window breaks the signature',
      (c) => ({ ...c, notAfter: '2026-12-28T00:00:00.000Z' }),
      /signature/,
    ],
    ['another province', (c) => ({ ...c, iss: '110000' }), /iss/],
    ['another root', (c) => ({ ...c, rootKid: 'AAAAAAAAAAA' }), /rootKid/],
    ["a kid that is not the key's own", (c) => ({ ...c, kid: base64urlEncode(new Uint8Array(8)) }), /kid/],
    ['an unknown member', (c) => ({ ...c, extra: 1 }), /unknown/],
    ['a private member in the JWK', (c) => ({ ...c, publicJwk: { ...signing.jwk, d: 'x' } }), /publicJwk/],
  ];
  for (const [name, change, problem] of cases) {
    test(`refused: ${name}`, () => {
      assert.match(
        problemOf(checkKeyCertificate(change({ ...certifyKey(body, sign) }), expected, NOW)),
        problem,
      );
    });
  }

  test('refused: more than 90 days, or already over', () => {
    const long = certifyKey({ ...body, notAfter: '2027-03-01T00:00:00.000Z' }, sign);
    assert.match(problemOf(checkKeyCertificate(long, expected, NOW)), /90 days/);
    const over = certifyKey(body, sign);
    const r = checkKeyCertificate(over, expected, Date.parse('2027-01-01T00:00:00Z'));
    assert.match(problemOf(r), /expired/);
  });

  test('refused: signed by another key than the root', () => {
    const other = keyPair();
    const r = checkKeyCertificate(
      certifyKey(body, (d) => es256Sign(other.priv, d)),
      expected,
      NOW,
    );
    assert.equal(r.ok, false);
  });
});

describe('signed requests', () => {
  const caller = keyPair();
  const req = {
    method: 'POST',
    path: '/api/v1/federation/status-deltas',
    caller: '440000',
    body: { deltas: [{ id: 1 }] },
  };
  const at = new Date(NOW);

  test('a signed request passes once; the same nonce again is a replay', async () => {
    const headers = signRequest(req, (d) => es256Sign(caller.priv, d), at);
    const nonces = new NonceMemory();
    assert.deepEqual(await checkSignedRequest(headers, req, caller.pub, NOW, nonces), { ok: true });
    assert.deepEqual(await checkSignedRequest(headers, req, caller.pub, NOW, nonces), {
      ok: false,
      problem: 'replayed request',
    });
  });

  test('another body, path, method or key fails; a time outside five minutes fails', async () => {
    const headers = signRequest(req, (d) => es256Sign(caller.priv, d), at);
    const check = async (r: typeof req, key = caller.pub, now = NOW, h = headers) =>
      (await checkSignedRequest(h, r, key, now, new NonceMemory())).ok;
    assert.equal(await check({ ...req, body: { deltas: [{ id: 2 }] } }), false);
    assert.equal(await check({ ...req, path: '/api/v1/federation/reports' }), false);
    assert.equal(await check({ ...req, method: 'PUT' }), false);
    assert.equal(await check(req, keyPair().pub), false);
    assert.equal(await check(req, caller.pub, NOW + 301_000), false);
    assert.equal(await check(req, caller.pub, NOW, { ...headers, [HEADER_DATE]: 'yesterday' }), false);
    assert.equal(await check(req, caller.pub, NOW, {}), false);
  });

  test('the body is compared in canonical form: member order does not matter', async () => {
    const b = { a: 1, b: [true, 'x'] };
    const headers = signRequest({ ...req, body: b }, (d) => es256Sign(caller.priv, d), at);
    assert.equal(
      (
        await checkSignedRequest(
          headers,
          { ...req, body: { b: [true, 'x'], a: 1 } },
          caller.pub,
          NOW,
          new NonceMemory(),
        )
      ).ok,
      true,
    );
  });
});

describe('national cryptography: SM2 code-signing keys and an SM2 hub anchor', () => {
  const sm = loadSigningKey(newPrivateJwk('SM2'));
  const smBody = { ...body, kid: kidOfJwk(sm.publicJwk), publicJwk: sm.publicJwk };

  test("a province's root certifies an SM2 code-signing key; its kid is the SM2 key's own", () => {
    const r = checkKeyCertificate(certifyKey(smBody, sign), expected, NOW);
    assert.ok(r.ok, problemOf(r));
    assert.equal(r.certificate.publicJwk.crv, 'SM2');
    assert.equal(kidOfJwk(sm.publicJwk), base64urlEncode(sm.kid));
    // Under the P-256 kid rule applied to the wrong bytes, or a point off the curve, it is refused.
    const wrongKid = { ...certifyKey(smBody, sign), kid: kidOfJwk(signing.jwk) };
    assert.match(problemOf(checkKeyCertificate(wrongKid, expected, NOW)), /kid/);
    const offCurve = { ...sm.publicJwk, y: sm.publicJwk.x };
    assert.match(
      problemOf(checkKeyCertificate({ ...certifyKey(smBody, sign), publicJwk: offCurve }, expected, NOW)),
      /not a point on SM2/,
    );
  });

  test('a request signed by an SM2 anchor verifies with it, and with no other key', async () => {
    const anchor = loadSigningKey(newPrivateJwk('SM2'));
    const req = { method: 'POST', path: '/api/v1/node/status-deltas', caller: 'CN', body: { a: 1 } };
    const headers = signRequest(req, (d) => anchor.sign(d), new Date(NOW));
    const check = async (key: ReturnType<typeof verifyingKeyOfJwk>) =>
      (await checkSignedRequest(headers, req, key, NOW, new NonceMemory())).ok;
    assert.equal(await check(verifyingKeyOfJwk(anchor.publicJwk)), true);
    assert.equal(await check(verifyingKeyOfJwk(sm.publicJwk)), false);
    assert.equal(await check(root.pub), false);
  });
});
