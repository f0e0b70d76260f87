/**
 * Which key signs a code. The hub signs with its active key: its own trust list carries its keys the moment they
 * exist. A provincial node signs only with a key the hub's published list carries
 * (src/province-node/published-key-signing.ts): publish before use.
 */
import type { CodeSigner } from '../codec/token.ts';
import type { KeyringCache } from './trust-list.service.ts';

export interface SigningKey {
  /** base64url of the 8-byte kid. */
  readonly kid: string;
  readonly signer: CodeSigner;
}

export interface CodeSigning {
  /** The key to sign with at `now`; throws AppError YMT_ERR_SIGNING_KEY_UNPUBLISHED when none may sign. */
  signingKey(now: Date): SigningKey;
}

/** The hub's choice: the active key. */
export function activeKeySigning(keys: KeyringCache): CodeSigning {
  return {
    signingKey(now) {
      const ring = keys.current(now.getTime());
      return { kid: ring.activeKid, signer: ring.signer };
    },
  };
}
