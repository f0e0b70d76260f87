/** The CryptoProvider over WebCrypto (browsers, and Node's globalThis.crypto). */
import type { AlgorithmName } from './cose.ts';
import type { CryptoProvider, PublicJwk } from './crypto-provider.ts';

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
      return subtle.importKey('jwk', { ...jwk, ext: true }, PARAMS[alg].importParams, false, ['verify']);
    },
    verify(alg, key, data, signature): Promise<boolean> {
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
