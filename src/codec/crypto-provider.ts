import type { AlgorithmName, SigningAlgorithm } from './cose.ts';

export interface EcPublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}
/** An SM2 public key (GB/T 32918.5 recommended curve): the affine coordinates, 32 bytes each, base64url. */
export interface Sm2PublicJwk {
  readonly kty: 'EC';
  readonly crv: 'SM2';
  readonly x: string;
  readonly y: string;
}
/** A key that signs codes or trust lists: P-256 (ES256) or SM2. */
export type SigningPublicJwk = EcPublicJwk | Sm2PublicJwk;
/** A signing key's curve names its algorithm, and nothing else: an SM2 key never verifies as ES256. */
export function algorithmOfCurve(crv: SigningPublicJwk['crv']): SigningAlgorithm {
  return crv === 'SM2' ? 'SM2' : 'ES256';
}
export interface RsaPublicJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
}
export type PublicJwk = EcPublicJwk | Sm2PublicJwk | RsaPublicJwk;

/**
 * The signature primitive, passed in so that the codec runs anywhere: `node:crypto` on the server and the CLI
 * (src/signing/node-crypto.ts), WebCrypto in the browser (./webcrypto.ts). Keys are imported once, when a
 * trust list is loaded, and kept as opaque handles: re-importing per verification would halve throughput.
 */
export interface CryptoProvider {
  importPublicKey(jwk: PublicJwk, alg: AlgorithmName): Promise<unknown>;
  /**
   * ES256 signatures are raw r‖s (64 bytes), as COSE (RFC 9053 §2.1) and WebCrypto use them; SM2 ones too (32 + 32
   * bytes). SM2 is the codec's own code (./sm2.ts) under every provider: neither WebCrypto nor node:crypto has it.
   */
  verify(
    alg: AlgorithmName,
    key: unknown,
    data: Uint8Array,
    signature: Uint8Array,
  ): boolean | Promise<boolean>;
}
