/**
 * The hub's keys on disk (DATA_DIR/keys, owner-only files, never committed):
 * - trust-anchor.json: the long-lived key that signs the trust list;
 * - signing-keys.json: the keys that sign codes. One is active; rotated ones stay until the last code
 *   they signed has expired (iat + 900 s + clock skew), then rotation prunes them.
 * Each key is ES256 (P-256) or SM2 (src/signing/signing-keys.ts), as SIGNING_ALGORITHM said when it was made: a
 * change of algorithm takes effect at the next rotation, and the older keys verify until they are pruned.
 * Production deployments keep these in an HSM or a secrets store; see docs/operations.md.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { base64urlEncode } from '../codec/base64url.ts';
import { encodeProtectedHeader, type SigningAlgorithm } from '../codec/cose.ts';
import type { EcPublicJwk, SigningPublicJwk } from '../codec/crypto-provider.ts';
import { CODE_LIFETIME_SECONDS, type CodeSigner } from '../codec/token.ts';
import type { Config } from '../config/config.ts';
import { readJson, writeJsonAtomic } from '../files/json-file.ts';
import { loadSigningKey, newPrivateJwk, type LoadedSigningKey } from './signing-keys.ts';

export interface StoredKey {
  kid: string;
  createdAt: string;
  retiredAt?: string;
  privateJwk: Record<string, unknown>;
}

interface SigningKeyFile {
  generation: number;
  keys: StoredKey[];
}

export interface PublicKeyInfo {
  readonly kid: string;
  readonly createdAt: Date;
  readonly retiredAt: Date | undefined;
  readonly alg: SigningAlgorithm;
  readonly publicJwk: SigningPublicJwk;
}

export interface Keyring {
  /** Increases with every rotation: the trust list's version. */
  readonly generation: number;
  /** The active key's signer. */
  readonly signer: CodeSigner;
  readonly activeKid: string;
  /** The signer of any key of the ring, retired ones included (a node may sign with one a while longer). */
  signerOf(kid: string): CodeSigner | undefined;
  readonly keys: readonly PublicKeyInfo[];
  readonly anchor: {
    readonly kid: string;
    readonly alg: SigningAlgorithm;
    readonly publicJwk: SigningPublicJwk;
    readonly sign: (data: Uint8Array) => Uint8Array;
  };
}

/** A fresh key (ES256 unless told) with its kid, as the key files hold it. */
export function newKey(now: Date, alg: SigningAlgorithm = 'ES256'): StoredKey {
  const privateJwk = newPrivateJwk(alg);
  return {
    kid: base64urlEncode(loadSigningKey(privateJwk).kid),
    createdAt: now.toISOString(),
    privateJwk,
  };
}

export function publicJwkOf(key: KeyObject): EcPublicJwk {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) };
}

function codeSigner(key: LoadedSigningKey): CodeSigner {
  return {
    kid: key.kid,
    protectedHeader: encodeProtectedHeader(key.alg, key.kid),
    sign: (data) => key.sign(data),
  };
}

/** What a rotation did: the new active key, the one it retired, and the retired keys it dropped. */
export interface Rotation {
  readonly activeKid: string;
  readonly retiredKid: string | undefined;
  readonly removedKids: string[];
}

/** The algorithm of the keys a store makes: code-signing keys, and the trust anchor (made once, at first start). */
export interface KeyAlgorithms {
  readonly codes: SigningAlgorithm;
  readonly anchor: SigningAlgorithm;
}

export class KeyStore {
  readonly anchorFile: string;
  readonly signingFile: string;

  constructor(
    readonly dir: string,
    /** Seconds a retired key stays trusted after its retirement: a code's lifetime plus the clock skew. */
    readonly retentionSeconds: number = CODE_LIFETIME_SECONDS + 60,
    readonly algorithms: KeyAlgorithms = { codes: 'ES256', anchor: 'ES256' },
  ) {
    this.anchorFile = join(dir, 'trust-anchor.json');
    this.signingFile = join(dir, 'signing-keys.json');
  }

  /** Creates the trust anchor and a first signing key where they are missing. Returns what it created. */
  ensure(now: Date): string[] {
    const created: string[] = [];
    if (!existsSync(this.anchorFile)) {
      writeJsonAtomic(this.anchorFile, newKey(now, this.algorithms.anchor));
      created.push('trust-anchor');
    }
    if (!existsSync(this.signingFile)) {
      writeJsonAtomic(this.signingFile, {
        generation: 1,
        keys: [newKey(now, this.algorithms.codes)],
      } satisfies SigningKeyFile);
      created.push('signing-key');
    }
    return created;
  }

  /**
   * Rotates, then runs `then` (which chains the rotation's entry in the audit log); when `then` fails, the key file
   * is put back as it was, so the rotation and its entry are made together or not at all.
   */
  async rotateThen<T>(now: Date, then: (rotation: Rotation) => Promise<T>): Promise<T> {
    this.ensure(now);
    const before = readJson(this.signingFile);
    const rotation = this.rotate(now);
    try {
      return await then(rotation);
    } catch (e) {
      writeJsonAtomic(this.signingFile, before);
      throw e;
    }
  }

  /** Retires the active key, adds a new one and drops retired keys whose last code has expired. */
  rotate(now: Date): Rotation {
    this.ensure(now);
    const file = readJson(this.signingFile) as SigningKeyFile;
    const active = file.keys.find((k) => k.retiredAt === undefined);
    if (active) active.retiredAt = now.toISOString();
    const keep = (k: StoredKey) =>
      k.retiredAt === undefined || Date.parse(k.retiredAt) + this.retentionSeconds * 1000 >= now.getTime();
    const removedKids = file.keys.filter((k) => !keep(k)).map((k) => k.kid);
    const fresh = newKey(now, this.algorithms.codes);
    writeJsonAtomic(this.signingFile, {
      generation: file.generation + 1,
      keys: [...file.keys.filter(keep), fresh],
    } satisfies SigningKeyFile);
    return { activeKid: fresh.kid, retiredKid: active?.kid, removedKids };
  }

  /** Modification time of the signing-key file, to notice a rotation made by another process. */
  version(): number {
    return statSync(this.signingFile).mtimeMs;
  }

  read(): Keyring {
    const anchor = readJson(this.anchorFile) as StoredKey;
    const file = readJson(this.signingFile) as SigningKeyFile;
    const active = file.keys.find((k) => k.retiredAt === undefined);
    if (!active) throw new Error('no active signing key: run `yimatong keys rotate`');
    const loaded = file.keys.map((k) => ({ k, key: loadSigningKey(k.privateJwk) }));
    const signers = new Map(loaded.map(({ k, key }) => [k.kid, codeSigner(key)] as const));
    const signer = signers.get(active.kid);
    if (!signer) throw new Error('the active signing key did not load');
    const anchorKey = loadSigningKey(anchor.privateJwk);
    return {
      generation: file.generation,
      activeKid: active.kid,
      signer,
      signerOf: (kid) => signers.get(kid),
      keys: loaded.map(({ k, key }) => ({
        kid: k.kid,
        createdAt: new Date(k.createdAt),
        retiredAt: k.retiredAt === undefined ? undefined : new Date(k.retiredAt),
        alg: key.alg,
        publicJwk: key.publicJwk,
      })),
      anchor: {
        kid: anchor.kid,
        alg: anchorKey.alg,
        publicJwk: anchorKey.publicJwk,
        sign: (data) => anchorKey.sign(data),
      },
    };
  }
}

/**
 * The hub's (or a provincial node's) key store: DATA_DIR/keys, retired keys kept for a code's lifetime plus the
 * clock skew, new keys of SIGNING_ALGORITHM. A node's anchor is its root, which certifies its keys to the hub over
 * the federation (ES256, src/federation/key-certificate.ts): it stays ES256 whatever signs its codes.
 */
export function keyStoreFor(config: Config, role: 'hub' | 'province' = 'hub'): KeyStore {
  const codes = config.signingAlgorithm;
  return new KeyStore(join(config.dataDir, 'keys'), CODE_LIFETIME_SECONDS + config.clockSkewSeconds, {
    codes,
    anchor: role === 'hub' ? codes : 'ES256',
  });
}
