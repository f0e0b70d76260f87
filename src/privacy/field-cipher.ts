/**
 * Encryption at rest of personal data (Q11): AES-256-GCM or SM4-GCM (national cryptography, FIELD_CIPHER) per
 * field with the key id stored beside the ciphertext, and keyed hashes (HMAC-SHA-256) to find a record by a value
 * without storing the value.
 *
 * Ciphertext text forms — the algorithm is named by the form, and each algorithm has its own keys, so a switch of
 * FIELD_CIPHER leaves every stored field readable and no key is ever used under the other algorithm:
 * - AES-256-GCM: `<keyId>.<iv base64url>.<ciphertext‖tag base64url>` (the form from the start);
 * - SM4-GCM: `sm4gcm.<keyId>.<iv base64url>.<ciphertext‖tag base64url>` (12-byte IV, 16-byte tag).
 * The additional authenticated data names the column and the row, so a ciphertext copied into another row or
 * column fails to decrypt.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.ts';
import { readJson, writeJsonAtomic } from '../files/json-file.ts';
import { sm4GcmDecrypt, sm4GcmEncrypt, SM4_KEY_LENGTH } from './sm4-gcm.ts';

export type FieldCipherName = Config['fieldCipher'];
/** The first part of an SM4-GCM field; an AES-256-GCM one has three parts, not four. */
const SM4_FORM = 'sm4gcm';

export interface DataKeys {
  /** The active AES-256-GCM key and every AES-256-GCM key still readable. */
  readonly activeKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
  readonly indexKey: Buffer;
  /** What encrypts from now on (default AES-256-GCM). */
  readonly cipher?: FieldCipherName;
  /** The active SM4 key and every SM4 key still readable (16 bytes each). */
  readonly sm4ActiveKeyId?: string;
  readonly sm4Keys?: ReadonlyMap<string, Buffer>;
}

function undecryptable(): never {
  throw new Error('undecryptable field');
}

export class FieldCipher {
  constructor(private readonly dataKeys: DataKeys) {}

  encrypt(plaintext: string, aad: string): string {
    if (this.dataKeys.cipher === 'SM4-GCM') return this.encryptSm4(plaintext, aad);
    const keyId = this.dataKeys.activeKeyId;
    const key = this.dataKeys.keys.get(keyId);
    if (!key) throw new Error(`active data key ${keyId} is missing`);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${keyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  private encryptSm4(plaintext: string, aad: string): string {
    const keyId = this.dataKeys.sm4ActiveKeyId;
    const key = keyId === undefined ? undefined : this.dataKeys.sm4Keys?.get(keyId);
    if (keyId === undefined || !key) throw new Error(`active SM4 data key ${keyId ?? '(none)'} is missing`);
    const iv = randomBytes(12);
    const body = sm4GcmEncrypt(key, iv, Buffer.from(plaintext, 'utf8'), Buffer.from(aad, 'utf8'));
    return `${SM4_FORM}.${keyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(stored: string, aad: string): string {
    const parts = stored.split('.');
    if (parts.length === 4 && parts[0] === SM4_FORM) {
      const [, keyId, ivText, bodyText] = parts;
      const key = keyId === undefined ? undefined : this.dataKeys.sm4Keys?.get(keyId);
      if (!key || ivText === undefined || bodyText === undefined) return undecryptable();
      const iv = Buffer.from(ivText, 'base64url');
      if (iv.length !== 12) return undecryptable();
      const body = Buffer.from(bodyText, 'base64url');
      return sm4GcmDecrypt(key, iv, body, Buffer.from(aad, 'utf8')).toString('utf8');
    }
    if (parts.length !== 3) return undecryptable();
    const [keyId, ivText, bodyText] = parts;
    const key = keyId === undefined ? undefined : this.dataKeys.keys.get(keyId);
    if (!key || ivText === undefined || bodyText === undefined) return undecryptable();
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  }

  /** A lookup hash of `value` within a namespace (`doc`, `name`, `phone`…). */
  index(namespace: string, value: string): string {
    return createHmac('sha256', this.dataKeys.indexKey)
      .update(`${namespace}\u0000${value}`)
      .digest('base64url');
  }
}

interface DataKeyFile {
  activeKeyId: string;
  keys: { id: string; key: string }[];
  /** Absent when the index key is configured and the file was made for SM4 keys only. */
  indexKey?: string;
  sm4ActiveKeyId?: string;
  sm4Keys?: { id: string; key: string }[];
}

/**
 * Keys from the configuration when given, otherwise from DATA_DIR/keys/data-keys.json, generated on first
 * start (the SM4 key when FIELD_CIPHER=SM4-GCM first asks for one). Configured keys win; the file keeps older key
 * ids readable after a rotation or a switch of algorithm.
 */
export function loadDataKeys(config: Config): DataKeys {
  const file = join(config.dataDir, 'keys', 'data-keys.json');
  let stored: DataKeyFile | undefined;
  if (existsSync(file)) {
    stored = readJson(file) as DataKeyFile;
  } else if (!config.dataEncryptionKey || !config.dataIndexKey) {
    stored = {
      activeKeyId: config.dataEncryptionKeyId,
      keys: [{ id: config.dataEncryptionKeyId, key: randomBytes(32).toString('base64') }],
      indexKey: randomBytes(32).toString('base64'),
    };
    writeJsonAtomic(file, stored);
  }
  if (config.fieldCipher === 'SM4-GCM' && !config.dataSm4Key && !stored?.sm4Keys?.length) {
    stored = {
      ...(stored ?? { activeKeyId: config.dataEncryptionKeyId, keys: [] }),
      sm4ActiveKeyId: config.dataSm4KeyId,
      sm4Keys: [{ id: config.dataSm4KeyId, key: randomBytes(SM4_KEY_LENGTH).toString('base64') }],
    };
    writeJsonAtomic(file, stored);
  }
  const keys = new Map<string, Buffer>((stored?.keys ?? []).map((k) => [k.id, Buffer.from(k.key, 'base64')]));
  let activeKeyId = stored?.activeKeyId ?? config.dataEncryptionKeyId;
  if (config.dataEncryptionKey) {
    keys.set(config.dataEncryptionKeyId, Buffer.from(config.dataEncryptionKey, 'base64'));
    activeKeyId = config.dataEncryptionKeyId;
  }
  const sm4Keys = new Map<string, Buffer>(
    (stored?.sm4Keys ?? []).map((k) => [k.id, Buffer.from(k.key, 'base64')]),
  );
  let sm4ActiveKeyId = stored?.sm4ActiveKeyId ?? config.dataSm4KeyId;
  if (config.dataSm4Key) {
    sm4Keys.set(config.dataSm4KeyId, Buffer.from(config.dataSm4Key, 'base64'));
    sm4ActiveKeyId = config.dataSm4KeyId;
  }
  const indexKeyText = config.dataIndexKey ?? stored?.indexKey;
  if (!indexKeyText) throw new Error('no data index key');
  return {
    activeKeyId,
    keys,
    indexKey: Buffer.from(indexKeyText, 'base64'),
    cipher: config.fieldCipher,
    sm4ActiveKeyId,
    sm4Keys,
  };
}
