/** The CryptoProvider over WebCrypto (browsers, and Node's globalThis.crypto); SM2 by the codec's own code. */
import type { AlgorithmName } from './cose.ts';
import type { CryptoProvider, PublicJwk } from './crypto-provider.ts';
import { sm2PublicKeyFromJwk, sm2Verify, type Sm2PublicKey } from './sm2.ts';

const PARAMS = {
  ES256: {
    importParams: { name: 'ECDSA', namedCurve: 'P-256' },
    verifyParams: { name: 'ECDSA', hash: 'SHA-256' },
  },
  PS256: {
    importParams: { name: 'RSA-PSS', hash: 'SHA-256' },
    verifyParams: { name: 'RSA-PSS', saltLength: 32 },
  },
} as const;

export function webCryptoProvider(subtle: SubtleCrypto = globalThis.crypto.subtle): CryptoProvider {
  return {
    importPublicKey(jwk: PublicJwk, alg: AlgorithmName): Promise<unknown> {
      // WebCrypto knows no SM2 (nor its curve): the key is the codec's, checked on the curve.
      if (alg === 'SM2') {
        if (jwk.kty !== 'EC' || jwk.crv !== 'SM2') return Promise.reject(new TypeError('not an SM2 key'));
        return Promise.resolve(sm2PublicKeyFromJwk(jwk));
      }
      return subtle.importKey('jwk', { ...jwk, ext: true }, PARAMS[alg].importParams, false, ['verify']);
    },
    verify(alg, key, data, signature): boolean | Promise<boolean> {
      if (alg === 'SM2') return sm2Verify(key as Sm2PublicKey, data, signature);
      // WebCrypto's types want ArrayBuffer-backed views; ours always are.
      return subtle.verify(
        PARAMS[alg].verifyParams,
        key as CryptoKey,
        signature as Uint8Array<ArrayBuffer>,
        data as Uint8Array<ArrayBuffer>,
      );
    },
  };
}
