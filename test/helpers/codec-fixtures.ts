/** Keys, tokens and trust lists for codec tests, built with the real node:crypto primitives. */
import { randomBytes, type KeyObject } from 'node:crypto';
import { base64urlEncode } from '../../src/codec/base64url.ts';
import { base45Encode } from '../../src/codec/base45.ts';
import { CborTagged, CborWriter, encodeCbor, type CborKey, type CborValue } from '../../src/codec/cbor.ts';
import { COSE_SIGN1_TAG, encodeProtectedHeader, sigStructure } from '../../src/codec/cose.ts';
import type { CryptoProvider, EcPublicJwk } from '../../src/codec/crypto-provider.ts';
import {
  CODE_LIFETIME_SECONDS,
  signCode,
  YMT_PREFIX,
  type CodeClaims,
  type CodeSigner,
} from '../../src/codec/token.ts';
import {
  loadTrustList,
  signTrustList,
  TRUST_LIST_FORMAT,
  type TrustAnchor,
  type TrustList,
  type TrustListDocument,
  type TrustListKeyJwk,
} from '../../src/codec/trust-list.ts';
import { es256Sign, keyIdOf, newP256KeyPair, nodeCryptoProvider } from '../../src/signing/node-crypto.ts';

export const T0 = Date.parse('2026-11-27T02:00:00.000Z');

export interface TestKey {
  readonly privateKey: KeyObject;
  readonly kid: Uint8Array;
  readonly kidText: string;
  readonly jwk: EcPublicJwk;
  readonly signer: CodeSigner;
}

export function makeKey(): TestKey {
  const { privateKey, publicKey } = newP256KeyPair();
  const kid = keyIdOf(publicKey);
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    privateKey,
    kid,
    kidText: base64urlEncode(kid),
    jwk: { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) },
    signer: {
      kid,
      protectedHeader: encodeProtectedHeader('ES256', kid),
      sign: (data) => es256Sign(privateKey, data),
    },
  };
}

export function claims(overrides: Partial<CodeClaims> = {}): CodeClaims {
  const iat = overrides.iat ?? Math.floor(T0 / 1000);
  return {
    iss: 'CN',
    iat,
    exp: iat + CODE_LIFETIME_SECONDS,
    cti: randomBytes(16),
    colour: 'green',
    maskedName: '张*三',
    ...overrides,
  };
}

export function token(key: TestKey, overrides: Partial<CodeClaims> = {}): string {
  return signCode(claims(overrides), key.signer);
}

/** A COSE_Sign1 with any protected header and payload, signed by `key`: for malformed-token cases. */
export function customToken(
  key: TestKey,
  protectedHeader: Map<CborKey, CborValue>,
  payload: CborValue,
  options: { tags?: number[]; signature?: (sig: Uint8Array) => Uint8Array } = {},
): string {
  const protectedBytes = encodeCbor(protectedHeader);
  const payloadBytes = encodeCbor(payload);
  let sig = es256Sign(key.privateKey, sigStructure(protectedBytes, payloadBytes));
  if (options.signature) sig = options.signature(sig);
  let item: CborValue = [protectedBytes, new Map(), payloadBytes, sig];
  for (const tag of (options.tags ?? [COSE_SIGN1_TAG]).slice().reverse()) item = new CborTagged(tag, item);
  return YMT_PREFIX + base45Encode(new CborWriter().value(item).finish());
}

export function ymtClaimsMap(c: CodeClaims): Map<CborKey, CborValue> {
  return new Map<CborKey, CborValue>([
    [1, c.iss],
    [4, c.exp],
    [6, c.iat],
    [7, c.cti],
    [
      -65537,
      new Map<CborKey, CborValue>([
        [1, 0],
        [2, c.maskedName],
      ]),
    ],
  ]);
}

export interface ListedKey {
  readonly key: TestKey;
  readonly iss?: string;
  readonly notBefore?: number;
  readonly notAfter?: number;
}

export function trustListDoc(
  anchor: TestKey,
  keys: readonly ListedKey[],
  options: { issuedAt?: number; expiresAt?: number; version?: number } = {},
): TrustListDocument {
  const jwks: TrustListKeyJwk[] = keys.map((k) => ({
    ...k.key.jwk,
    kid: k.key.kidText,
    alg: 'ES256',
    use: 'sig',
    iss: k.iss ?? 'CN',
    notBefore: new Date(k.notBefore ?? T0 - 86400_000).toISOString(),
    ...(k.notAfter === undefined ? {} : { notAfter: new Date(k.notAfter).toISOString() }),
  }));
  return signTrustList(
    {
      format: TRUST_LIST_FORMAT,
      version: options.version ?? 1,
      issuedAt: new Date(options.issuedAt ?? T0 - 3600_000).toISOString(),
      expiresAt: new Date(options.expiresAt ?? T0 + 7 * 86400_000).toISOString(),
      issuers: [{ iss: 'CN', name: '全国', nameEn: 'National' }],
      keys: jwks,
    },
    anchor.kidText,
    (data) => es256Sign(anchor.privateKey, data),
  );
}

export function anchorOf(key: TestKey): TrustAnchor {
  return { ...key.jwk, kid: key.kidText };
}

export async function trustList(
  anchor: TestKey,
  keys: readonly ListedKey[],
  options: { issuedAt?: number; expiresAt?: number; crypto?: CryptoProvider } = {},
): Promise<TrustList> {
  const crypto = options.crypto ?? nodeCryptoProvider;
  const r = await loadTrustList(trustListDoc(anchor, keys, options), anchorOf(anchor), T0, crypto);
  if (!r.ok) throw new Error(`fixture trust list does not load: ${r.error}`);
  return r.trustList;
}
