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
