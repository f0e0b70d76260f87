/**
 * Encryption at rest of personal data (Q11): AES-256-GCM per field with the key id stored beside the
 * ciphertext, and keyed hashes (HMAC-SHA-256) to find a record by a value without storing the value.
 *
 * Ciphertext text form: `<keyId>.<iv base64url>.<ciphertext‖tag base64url>`. The additional authenticated
 * data names the column and the row, so a ciphertext copied into another row or column fails to decrypt.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.ts';
import { readJson, writeJsonAtomic } from '../files/json-file.ts';

export interface DataKeys {
  readonly activeKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
  readonly indexKey: Buffer;
}

export class FieldCipher {
  constructor(private readonly dataKeys: DataKeys) {}

  encrypt(plaintext: string, aad: string): string {
    const keyId = this.dataKeys.activeKeyId;
    const key = this.dataKeys.keys.get(keyId);
    if (!key) throw new Error(`active data key ${keyId} is missing`);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${keyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(stored: string, aad: string): string {
    const [keyId, ivText, bodyText] = stored.split('.');
    const key = keyId === undefined ? undefined : this.dataKeys.keys.get(keyId);
    if (!key || ivText === undefined || bodyText === undefined) throw new Error('undecryptable field');
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
  indexKey: string;
}

/**
 * Keys from the configuration when given, otherwise from DATA_DIR/keys/data-keys.json, generated on first
 * start. Configured keys win; the file keeps older key ids readable after a rotation.
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
  const keys = new Map<string, Buffer>((stored?.keys ?? []).map((k) => [k.id, Buffer.from(k.key, 'base64')]));
  let activeKeyId = stored?.activeKeyId ?? config.dataEncryptionKeyId;
  if (config.dataEncryptionKey) {
    keys.set(config.dataEncryptionKeyId, Buffer.from(config.dataEncryptionKey, 'base64'));
    activeKeyId = config.dataEncryptionKeyId;
  }
  const indexKeyText = config.dataIndexKey ?? stored?.indexKey;
  if (!indexKeyText) throw new Error('no data index key');
  return { activeKeyId, keys, indexKey: Buffer.from(indexKeyText, 'base64') };
}
