/**
 * A provincial node's keys, in its own DATA_DIR/keys: the root (the key store's trust anchor file, long-lived,
 * certifies code-signing keys; in production it stays offline), the code-signing keys (rotated like the
 * hub's), and the access key that signs the node's requests to the hub. `enrolment.json` holds the public
 * halves the hub operator enrols (`yimatong provinces enrol`).
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from '../files/json-file.ts';
import {
  newKey,
  publicJwkOf,
  type Keyring,
  type KeyStore,
  type PublicKeyInfo,
  type StoredKey,
} from '../signing/keystore.ts';
import { es256Sign } from '../signing/node-crypto.ts';
import type { Enrolment } from '../federation/enrolment.ts';
import { certifyKey, KEY_CERTIFICATE_FORMAT, type KeyCertificate } from '../federation/key-certificate.ts';

/** How long a code-signing key is certified for; the node rotates it a week before the end. */
export const SIGNING_KEY_VALIDITY_MS = 30 * 86400_000;
export const ROTATE_BEFORE_END_MS = 7 * 86400_000;
/**
 * How long after its retirement a key may still sign, while the hub has not yet published its successor
 * (publish before use, published-key-signing.ts): its certificate ends this much after the retirement.
 */
export const RETIRED_KEY_OVERLAP_MS = 3600_000;

/**
 * The end of the window the province's root certifies for a key: 30 days after its creation while active; once
 * retired, the overlap after its retirement (never later than the 30 days).
 */
export function certifiedEnd(k: PublicKeyInfo): Date {
  const end = k.createdAt.getTime() + SIGNING_KEY_VALIDITY_MS;
  return new Date(
    k.retiredAt === undefined ? end : Math.min(end, k.retiredAt.getTime() + RETIRED_KEY_OVERLAP_MS),
  );
}

const ACCESS_KEY_FILE = 'access-key.json';

/** Whether a key store is a provincial node's (it holds the node's access key; a hub's never does). */
export function isProvinceNodeStore(store: KeyStore): boolean {
  return existsSync(join(store.dir, ACCESS_KEY_FILE));
}

export class ProvinceKeys {
  readonly accessFile: string;
  readonly enrolmentFile: string;

  constructor(
    readonly store: KeyStore,
    readonly code: string,
  ) {
    this.accessFile = join(store.dir, ACCESS_KEY_FILE);
    this.enrolmentFile = join(store.dir, 'enrolment.json');
  }

  /** Creates what is missing (root, signing key, access key) and writes the enrolment file. */
  ensure(now: Date): Enrolment {
    this.store.ensure(now);
    if (!existsSync(this.accessFile)) writeJsonAtomic(this.accessFile, newKey(now));
    const enrolment = this.enrolment();
    writeJsonAtomic(this.enrolmentFile, enrolment);
    return enrolment;
  }

  private accessKey(): KeyObject {
    const { privateJwk } = readJson(this.accessFile) as StoredKey;
    return createPrivateKey({ key: privateJwk, format: 'jwk' });
  }

  enrolment(): Enrolment {
    const root = this.store.read().anchor.publicJwk;
    // The root certifies keys and the hub checks it as ES256 (keyStoreFor makes a node's root ES256 always).
    if (root.crv !== 'P-256') throw new Error("a provincial node's root must be a P-256 key");
    return {
      format: 'yimatong-enrolment/1',
      code: this.code,
      rootJwk: root,
      accessJwk: publicJwkOf(this.accessKey()),
    };
  }

  accessSigner(): (data: Uint8Array) => Uint8Array {
    const key = this.accessKey();
    return (data) => es256Sign(key, data);
  }

  /**
   * A certificate for every key of the ring: in service from its creation, until `certifiedEnd` (the hub adds a
   * code's lifetime on top).
   */
  certificates(keyring: Keyring): KeyCertificate[] {
    return keyring.keys.map((k) =>
      certifyKey(
        {
          format: KEY_CERTIFICATE_FORMAT,
          iss: this.code,
          kid: k.kid,
          publicJwk: k.publicJwk,
          notBefore: k.createdAt.toISOString(),
          notAfter: certifiedEnd(k).toISOString(),
          rootKid: keyring.anchor.kid,
        },
        keyring.anchor.sign,
      ),
    );
  }
}
