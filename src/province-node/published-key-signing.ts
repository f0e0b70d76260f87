/**
 * Publish before use: a provincial node signs a code only with a key the hub's trust list — as the node holds its
 * copy — already carries, so every verifier that holds the same list (or fetches it on meeting the kid) accepts
 * the code. After a rotation the node keeps signing with the previous key until the hub lists the new one; a
 * revoked key never signs; when no key may sign, the code is refused with YMT_ERR_SIGNING_KEY_UNPUBLISHED (503,
 * retry later) rather than signed with a key nobody can verify. docs/federation.md#publish-before-use.
 */
import { CODE_LIFETIME_SECONDS } from '../codec/token.ts';
import { AppError } from '../errors/app-error.ts';
import type { PublicKeyInfo } from '../signing/keystore.ts';
import type { CodeSigning, SigningKey } from '../signing/code-signing.ts';
import type { KeyringCache } from '../signing/trust-list.service.ts';
import { certifiedEnd } from './province-keys.ts';

/** What the choice reads from the hub's list (a loaded TrustList is one). */
export interface PublishedKeys {
  readonly keys: ReadonlyMap<
    string,
    { readonly iss: string; readonly notBefore: number; readonly notAfter: number | undefined }
  >;
  readonly revoked: ReadonlyMap<string, unknown>;
}

/**
 * The kid a node signs with at `nowMs`: the newest of its keys that the published list carries for `issuer`,
 * not revoked, in service, whose code signed now stays verifiable to its end (`now + lifetime` within the
 * listed window), and within the window the node itself certifies (a retired key, its overlap). Undefined when
 * there is none.
 */
export function chooseSigningKid(
  keys: readonly PublicKeyInfo[],
  published: PublishedKeys | undefined,
  issuer: string,
  nowMs: number,
): string | undefined {
  if (!published) return undefined;
  const newestFirst = [...keys].sort(
    (a, b) =>
      b.createdAt.getTime() - a.createdAt.getTime() ||
      Number(a.retiredAt !== undefined) - Number(b.retiredAt !== undefined),
  );
  return newestFirst.find((k) => {
    const listed = published.keys.get(k.kid);
    return (
      listed !== undefined &&
      listed.iss === issuer &&
      !published.revoked.has(k.kid) &&
      listed.notBefore <= nowMs &&
      (listed.notAfter === undefined || nowMs + CODE_LIFETIME_SECONDS * 1000 <= listed.notAfter) &&
      nowMs <= certifiedEnd(k).getTime()
    );
  })?.kid;
}

/** A node's code signer: its key ring, chosen against its copy of the hub's list at each signing. */
export class PublishedKeySigning implements CodeSigning {
  constructor(
    private readonly keys: KeyringCache,
    private readonly published: () => PublishedKeys | undefined,
    private readonly issuer: string,
  ) {}

  signingKey(now: Date): SigningKey {
    const ring = this.keys.current(now.getTime());
    const kid = chooseSigningKid(ring.keys, this.published(), this.issuer, now.getTime());
    const signer = kid === undefined ? undefined : ring.signerOf(kid);
    if (kid === undefined || signer === undefined) throw new AppError('YMT_ERR_SIGNING_KEY_UNPUBLISHED');
    return { kid, signer };
  }
}
