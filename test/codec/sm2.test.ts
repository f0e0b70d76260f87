import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  SM2_DEFAULT_SIGNER_ID,
  sm2GenerateKey,
  sm2PrivateKey,
  sm2PublicKey,
  sm2Sign,
  sm2Verify,
  sm2Za,
} from '../../src/codec/sm2.ts';
import { sm2Spki } from '../../src/signing/signing-keys.ts';

/** sm-crypto (npm, BigInteger from jsbn): an independent SM2 with the default signer ID, for tests only. */
const smCrypto = createRequire(import.meta.url)('sm-crypto') as {
  sm2: {
    doSignature(msg: number[], privateKeyHex: string, o: { hash: boolean; publicKey: string }): string;
    doVerifySignature(msg: number[], sigHex: string, publicKeyHex: string, o: { hash: boolean }): boolean;
  };
};

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const { d, privateKey } = sm2GenerateKey();
const pub = privateKey.publicKey;
const pubHex = `04${hex(pub.x)}${hex(pub.y)}`;

/** node:crypto signs real SM2 only with a key imported from PEM, and then with an empty signer ID (PITFALLS.md). */
function nodePemKey(dBytes: Uint8Array, x: Uint8Array, y: Uint8Array) {
  const der = Buffer.concat([
    Buffer.from('308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420', 'hex'),
    dBytes,
    Buffer.from('a14403420004', 'hex'),
    x,
    y,
  ]);
  const pem = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`;
  const spki = `-----BEGIN PUBLIC KEY-----\n${sm2Spki(x, y).toString('base64')}\n-----END PUBLIC KEY-----\n`;
  // Never export these keys: exporting one as DER kills the process (PITFALLS.md).
  return { priv: createPrivateKey(pem), pub: createPublicKey(spki) };
}

/** r‖s ↔ the DER SEQUENCE of two INTEGERs node:crypto writes for SM2 keys (it ignores dsaEncoding for them). */
function derToRaw(der: Buffer): Uint8Array {
  const rLen = der[3] ?? 0;
  const r = der.subarray(4, 4 + rLen);
  const s = der.subarray(6 + rLen, 6 + rLen + (der[5 + rLen] ?? 0));
  const pad = (b: Buffer) => Buffer.concat([Buffer.alloc(32), b]).subarray(-32);
  return Buffer.concat([pad(r), pad(s)]);
}
function rawToDer(raw: Uint8Array): Buffer {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < 31 && b[i] === 0) i++;
    const v = Buffer.from(b.subarray(i));
    const body = (v[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v;
    return Buffer.concat([Buffer.from([2, body.length]), body]);
  };
  const seq = Buffer.concat([int(raw.subarray(0, 32)), int(raw.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, seq.length]), seq]);
}

test('the signer ID is the standard default, 1234567812345678, and Z_A commits to it', () => {
  assert.equal(new TextDecoder().decode(SM2_DEFAULT_SIGNER_ID), '1234567812345678');
  assert.notEqual(hex(sm2Za(pub.x, pub.y)), hex(sm2Za(pub.x, pub.y, new Uint8Array(0))));
});

test('sign then verify round-trips for any message; a changed message, signature or key fails', () => {
  const other = sm2GenerateKey().privateKey.publicKey;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(63), (message, at) => {
      const sig = sm2Sign(privateKey, message);
      assert.equal(sig.length, 64);
      assert.ok(sm2Verify(pub, message, sig));
      assert.ok(!sm2Verify(other, message, sig));
      const bent = Uint8Array.from(sig);
      bent[at] = (bent[at] ?? 0) ^ 1;
      assert.ok(!sm2Verify(pub, message, bent));
      const longer = Uint8Array.from([...message, 0]);
      assert.ok(!sm2Verify(pub, longer, sig));
    }),
    { numRuns: 25 },
  );
});

test('k is fresh for every signature: the same message signs differently each time', () => {
  const m = new TextEncoder().encode('同一消息');
  assert.notEqual(hex(sm2Sign(privateKey, m)), hex(sm2Sign(privateKey, m)));
});

test('out-of-range signatures and keys are refused, never thrown on', () => {
  const m = new Uint8Array([1, 2, 3]);
  const b32 = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
  const sig = sm2Sign(privateKey, m);
  for (const bad of [
    Buffer.concat([b32(0n), sig.subarray(32)]),
    Buffer.concat([b32(N), sig.subarray(32)]),
    Buffer.concat([sig.subarray(0, 32), b32(0n)]),
    Buffer.concat([sig.subarray(0, 32), b32(N)]),
    sig.subarray(0, 63),
    new Uint8Array(0),
  ])
    assert.equal(sm2Verify(pub, m, bad), false);
  const offCurve = Uint8Array.from(pub.y);
  offCurve[31] = (offCurve[31] ?? 0) ^ 1;
  assert.throws(() => sm2PublicKey(pub.x, offCurve));
  assert.throws(() => sm2PrivateKey(new Uint8Array(32)));
  assert.throws(() => sm2PrivateKey(b32(N - 1n)));
});

test("cross-check with OpenSSL (node:crypto's PEM-imported key, empty signer ID), both ways", () => {
  const node = nodePemKey(d, pub.x, pub.y);
  const ours = sm2PrivateKey(d, new Uint8Array(0));
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (message) => {
      // OpenSSL signs, we verify (with its empty ID; with the default ID the same signature fails).
      const theirs = derToRaw(sign('sm3', message, node.priv));
      assert.ok(sm2Verify(ours.publicKey, message, theirs));
      assert.ok(!sm2Verify(pub, message, theirs));
      // We sign, OpenSSL verifies.
      assert.ok(verify('sm3', message, node.pub, rawToDer(sm2Sign(ours, message))));
    }),
    { numRuns: 20 },
  );
});

test('cross-check with sm-crypto (an independent implementation, default signer ID), both ways', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (message) => {
      const bytes = [...message];
      const theirs = smCrypto.sm2.doSignature(bytes, hex(d), { hash: true, publicKey: pubHex });
      assert.ok(sm2Verify(pub, message, Buffer.from(theirs, 'hex')));
      const ours = hex(sm2Sign(privateKey, message));
      assert.ok(smCrypto.sm2.doVerifySignature(bytes, ours, pubHex, { hash: true }));
    }),
    { numRuns: 15 },
  );
});

test("an SM2 key's SubjectPublicKeyInfo (its kid's input) is byte for byte OpenSSL's", () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const x = spki.subarray(spki.length - 64, spki.length - 32);
  const y = spki.subarray(spki.length - 32);
  assert.equal(hex(sm2Spki(x, y)), hex(spki));
});
