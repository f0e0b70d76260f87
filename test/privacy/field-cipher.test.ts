import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { FieldCipher, loadDataKeys } from '../../src/privacy/field-cipher.ts';

const keys = { activeKeyId: 'k1', keys: new Map([['k1', randomBytes(32)]]), indexKey: randomBytes(32) };

test('fields round-trip, with the key id beside the ciphertext and a fresh IV each time', () => {
  const c = new FieldCipher(keys);
  const a = c.encrypt('张小三', 'persons.name:1');
  const b = c.encrypt('张小三', 'persons.name:1');
  assert.match(a, /^k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
  assert.notEqual(a, b);
  assert.equal(c.decrypt(a, 'persons.name:1'), '张小三');
});

test('a ciphertext moved to another row or column, or altered, does not decrypt', () => {
  const c = new FieldCipher(keys);
  const a = c.encrypt('13912345678', 'persons.phone:1');
  assert.throws(() => c.decrypt(a, 'persons.phone:2'));
  assert.throws(() => c.decrypt(a, 'persons.name:1'));
  // Change the second-to-last character (all of its bits are data) to a different one.
  const tampered = a.slice(0, -2) + (a.at(-2) === 'A' ? 'B' : 'A') + a.slice(-1);
  assert.throws(() => c.decrypt(tampered, 'persons.phone:1'));
  assert.throws(() => c.decrypt('k9.AAAA.AAAA', 'persons.phone:1'));
});

test('an older key id still decrypts after the active key changes', () => {
  const old = new FieldCipher(keys);
  const stored = old.encrypt('x', 'aad');
  const rotated = new FieldCipher({
    ...keys,
    activeKeyId: 'k2',
    keys: new Map([...keys.keys, ['k2', randomBytes(32)]]),
  });
  assert.equal(rotated.decrypt(stored, 'aad'), 'x');
  assert.match(rotated.encrypt('x', 'aad'), /^k2\./);
});

test('lookup hashes are keyed and namespaced', () => {
  const c = new FieldCipher(keys);
  assert.equal(c.index('doc', 'id_card:X'), c.index('doc', 'id_card:X'));
  assert.notEqual(c.index('doc', 'id_card:X'), c.index('name', 'id_card:X'));
  assert.notEqual(
    c.index('doc', 'id_card:X'),
    new FieldCipher({ ...keys, indexKey: randomBytes(32) }).index('doc', 'id_card:X'),
  );
});

test('keys are generated into the data directory on first start, or taken from the configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-dk-'));
  try {
    const generated = loadDataKeys(loadConfig({ DATA_DIR: dir }));
    assert.ok(existsSync(join(dir, 'keys', 'data-keys.json')));
    assert.deepEqual(loadDataKeys(loadConfig({ DATA_DIR: dir })).indexKey, generated.indexKey);
    const key = randomBytes(32).toString('base64');
    const configured = loadDataKeys(
      loadConfig({
        DATA_DIR: join(dir, 'other'),
        DATA_ENCRYPTION_KEY: key,
        DATA_ENCRYPTION_KEY_ID: 'prod1',
        DATA_INDEX_KEY: key,
      }),
    );
    assert.equal(configured.activeKeyId, 'prod1');
    assert.ok(!existsSync(join(dir, 'other', 'keys', 'data-keys.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const sm4Keys = {
  ...keys,
  cipher: 'SM4-GCM' as const,
  sm4ActiveKeyId: 's1',
  sm4Keys: new Map([['s1', randomBytes(16)]]),
};

test('with FIELD_CIPHER=SM4-GCM, fields are SM4-GCM, named so, and round-trip', () => {
  const c = new FieldCipher(sm4Keys);
  const a = c.encrypt('张小三', 'persons.name:1');
  assert.match(a, /^sm4gcm\.s1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
  assert.notEqual(a, c.encrypt('张小三', 'persons.name:1'));
  assert.equal(c.decrypt(a, 'persons.name:1'), '张小三');
  assert.throws(() => c.decrypt(a, 'persons.name:2'));
  const tampered = a.slice(0, -2) + (a.at(-2) === 'A' ? 'B' : 'A') + a.slice(-1);
  assert.throws(() => c.decrypt(tampered, 'persons.name:1'));
});

test('switching to SM4-GCM leaves AES-256-GCM fields readable, and switching back leaves SM4-GCM ones', () => {
  const aes = new FieldCipher(keys).encrypt('13912345678', 'persons.phone:1');
  const sm4 = new FieldCipher(sm4Keys).encrypt('13912345678', 'persons.phone:1');
  assert.equal(new FieldCipher(sm4Keys).decrypt(aes, 'persons.phone:1'), '13912345678');
  assert.equal(
    new FieldCipher({ ...sm4Keys, cipher: 'AES-256-GCM' }).decrypt(sm4, 'persons.phone:1'),
    '13912345678',
  );
});

test('each algorithm has its own keys: a key id of the other algorithm never decrypts', () => {
  const shared = randomBytes(16);
  // The same id under both algorithms: the form names the algorithm, and only that algorithm's keys are looked at.
  const c = new FieldCipher({ ...sm4Keys, sm4ActiveKeyId: 'k1', sm4Keys: new Map([['k1', shared]]) });
  const sm4 = c.encrypt('x', 'aad');
  const [, keyId, iv, body] = sm4.split('.');
  assert.equal(keyId, 'k1');
  assert.throws(() => c.decrypt(`${keyId}.${iv}.${body}`, 'aad'));
  assert.throws(() => new FieldCipher(keys).decrypt(sm4, 'aad'));
});

test('FIELD_CIPHER=SM4-GCM generates an SM4 key into the existing key file, keeping the AES keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-dk-'));
  try {
    const before = loadDataKeys(loadConfig({ DATA_DIR: dir }));
    const stored = new FieldCipher(before).encrypt('旧值', 'aad');
    const after = loadDataKeys(loadConfig({ DATA_DIR: dir, FIELD_CIPHER: 'SM4-GCM' }));
    assert.equal(after.sm4ActiveKeyId, 's1');
    assert.equal(after.sm4Keys?.get('s1')?.length, 16);
    assert.deepEqual(after.indexKey, before.indexKey);
    assert.equal(new FieldCipher(after).decrypt(stored, 'aad'), '旧值');
    // The generated key is kept: a restart reads the same one.
    const again = loadDataKeys(loadConfig({ DATA_DIR: dir, FIELD_CIPHER: 'SM4-GCM' }));
    assert.deepEqual(again.sm4Keys?.get('s1'), after.sm4Keys.get('s1'));
    const sm4Key = randomBytes(16).toString('base64');
    const configured = loadDataKeys(
      loadConfig({
        DATA_DIR: dir,
        FIELD_CIPHER: 'SM4-GCM',
        DATA_SM4_KEY: sm4Key,
        DATA_SM4_KEY_ID: 'prod-sm4',
      }),
    );
    assert.equal(configured.sm4ActiveKeyId, 'prod-sm4');
    assert.equal(configured.sm4Keys?.get('prod-sm4')?.toString('base64'), sm4Key);
    assert.ok(configured.sm4Keys.has('s1'));
    assert.throws(() => loadConfig({ DATA_SM4_KEY: randomBytes(32).toString('base64') }), /DATA_SM4_KEY/);
    assert.throws(() => loadConfig({ DATA_SM4_KEY_ID: 'k1' }), /DATA_SM4_KEY_ID/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
