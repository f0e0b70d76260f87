import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { sm4GcmDecrypt, sm4GcmEncrypt } from '../../src/privacy/sm4-gcm.ts';

const h = (s: string) => Buffer.from(s, 'hex');

test("OpenSSL's SM4 block (what SM4-GCM is built on) gives GB/T 32907-2016's example, Appendix A.1", () => {
  const key = h('0123456789abcdeffedcba9876543210');
  const c = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
  assert.equal(Buffer.concat([c.update(key), c.final()]).toString('hex'), '681edf34d206965e86b3e94f536e4246');
});

test('SM4-GCM gives the test vector of RFC 8998, Appendix A.1', () => {
  const key = h('0123456789ABCDEFFEDCBA9876543210');
  const iv = h('00001234567800000000ABCD');
  const plaintext = h(
    'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA',
  );
  const aad = h('FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2');
  const sealed = sm4GcmEncrypt(key, iv, plaintext, aad);
  assert.equal(
    sealed.subarray(0, plaintext.length).toString('hex').toUpperCase(),
    '17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D',
  );
  assert.equal(
    sealed.subarray(plaintext.length).toString('hex').toUpperCase(),
    '83DE3541E4C2B58177E065A9BF7B62EC',
  );
  assert.deepEqual(sm4GcmDecrypt(key, iv, sealed, aad), plaintext);
});

test('SM4-GCM round-trips any text and AAD; any changed byte, AAD, IV or key is refused', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 40 }),
      fc.nat(),
      (plaintext, aad, at) => {
        const key = randomBytes(16);
        const iv = randomBytes(12);
        const sealed = sm4GcmEncrypt(key, iv, plaintext, aad);
        assert.equal(sealed.length, plaintext.length + 16);
        assert.deepEqual(sm4GcmDecrypt(key, iv, sealed, aad), Buffer.from(plaintext));
        const bent = Buffer.from(sealed);
        const i = at % bent.length;
        bent[i] = (bent[i] ?? 0) ^ 0x01;
        assert.throws(() => sm4GcmDecrypt(key, iv, bent, aad));
        assert.throws(() => sm4GcmDecrypt(key, iv, sealed, Buffer.concat([aad, Buffer.from([0])])));
        assert.throws(() => sm4GcmDecrypt(randomBytes(16), iv, sealed, aad));
        assert.throws(() => sm4GcmDecrypt(key, randomBytes(12), sealed, aad));
      },
    ),
    { numRuns: 100 },
  );
  assert.throws(() => sm4GcmEncrypt(randomBytes(32), randomBytes(12), new Uint8Array(1), new Uint8Array(0)));
  assert.throws(() => sm4GcmEncrypt(randomBytes(16), randomBytes(16), new Uint8Array(1), new Uint8Array(0)));
});
