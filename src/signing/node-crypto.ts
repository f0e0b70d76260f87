/** node:crypto implementations of the codec's primitives: the verifier's CryptoProvider and the code signer. */
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { AlgorithmName } from '../codec/cose.ts';
import { encodeProtectedHeader } from '../codec/cose.ts';
import type { CryptoProvider, PublicJwk } from '../codec/crypto-provider.ts';
import type { CodeSigner } from '../codec/token.ts';
import { sm2PublicKeyFromJwk, sm2Verify, type Sm2PublicKey } from '../codec/sm2.ts';

/**
 * A new P-256 key pair whose KeyObjects can be exported (as JWK) safely. Node 20 can deadlock when a key made by
 * `generateKeyPairSync` is exported as JWK: the export holds the key's mutex while it allocates, a garbage
 * collection then finalises the key-generation job, whose destructor takes the same mutex (seen as a test process
 * hanging for ever in `KeyGenJob::~KeyGenJob` under `ExportJWK`). Keys imported from the job's DER encoding share
 * nothing with the job.
 */
export function newP256KeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey: der } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { format: 'der', type: 'pkcs8' },
    publicKeyEncoding: { format: 'der', type: 'spki' },
  });
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** node:crypto for ES256 and PS256; SM2 by the codec's own code (node:crypto's SM2 is a trap: PITFALLS.md). */
export const nodeCryptoProvider: CryptoProvider = {
  importPublicKey(jwk: PublicJwk, alg: AlgorithmName): Promise<unknown> {
    if (alg === 'SM2' || (jwk.kty === 'EC' && jwk.crv === 'SM2')) {
      if (alg !== 'SM2' || jwk.kty !== 'EC' || jwk.crv !== 'SM2')
        return Promise.reject(new TypeError('an SM2 key verifies SM2 only'));
      return Promise.resolve(jwk).then(sm2PublicKeyFromJwk);
    }
    return Promise.resolve(createPublicKey({ key: { ...jwk }, format: 'jwk' }));
  },
  verify(alg: AlgorithmName, key: unknown, data: Uint8Array, signature: Uint8Array): boolean {
    if (alg === 'SM2') return sm2Verify(key as Sm2PublicKey, data, signature);
    const k = key as KeyObject;
    if (alg === 'ES256') return verify('sha256', data, { key: k, dsaEncoding: 'ieee-p1363' }, signature);
    return verify(
      'sha256',
      data,
      { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      signature,
    );
  },
};

/** An 8-byte key id: the first 8 bytes of SHA-256 over the key's SubjectPublicKeyInfo (DER). */
export function keyIdOf(publicKey: KeyObject): Uint8Array {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return new Uint8Array(createHash('sha256').update(spki).digest().subarray(0, 8));
}

/** Raw r‖s ES256 signing. */
export function es256Sign(privateKey: KeyObject, data: Uint8Array): Uint8Array {
  return sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

export function codeSignerFromJwk(privateJwk: Record<string, unknown>): CodeSigner {
  const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' });
  const kid = keyIdOf(createPublicKey(privateKey));
  return {
    kid,
    protectedHeader: encodeProtectedHeader('ES256', kid),
    sign: (data) => es256Sign(privateKey, data),
  };
}
