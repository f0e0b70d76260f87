import type { AlgorithmName } from './cose.ts';

export interface EcPublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}
export interface RsaPublicJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
}
export type PublicJwk = EcPublicJwk | RsaPublicJwk;

/**
 * The signature primitive, passed in so that the codec runs anywhere: `node:crypto` on the server and the CLI
 * (src/signing/node-crypto.ts), WebCrypto in the browser (./webcrypto.ts). Keys are imported once, when a
 * trust list is loaded, and kept as opaque handles: re-importing per verification would halve throughput.
 */
export interface CryptoProvider {
  importPublicKey(jwk: PublicJwk, alg: AlgorithmName): Promise<unknown>;
  /** ES256 signatures are raw r‖s (64 bytes), as COSE (RFC 9053 §2.1) and WebCrypto use them. */
  verify(
    alg: AlgorithmName,
    key: unknown,
    data: Uint8Array,
    signature: Uint8Array,
  ): boolean | Promise<boolean>;
}
