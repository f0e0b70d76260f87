/**
 * The hub's check before it calls a node (docs/federation.md#node-urls): the stored URL passes the node URL rule
 * again (a URL stored before the rule, or under a looser configuration, is not called), and a host name must not
 * resolve to an address the rule forbids (a name pointing at 169.254.169.254 or, outside development, 127.0.0.1).
 *
 * Residual risk, written down in docs/federation.md#node-urls: fetch resolves the name once more when it connects, so a name
 * whose DNS answer changes between the two look-ups (DNS rebinding with a zero TTL) can still slip through; and
 * redirects are refused by the caller (signed-client.ts), not checked.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressAllowed, checkNodeUrl, hostOf, type NodeUrlPolicy } from './node-url.domain.ts';

export type Resolve = (host: string) => Promise<readonly string[]>;

const resolveAll: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Throws (with the reason) when the hub must not call `baseUrl`. */
export function nodeAddressGuard(
  policy: NodeUrlPolicy,
  resolve: Resolve = resolveAll,
): (baseUrl: string) => Promise<void> {
  return async (baseUrl) => {
    const checked = checkNodeUrl(baseUrl, policy);
    if (!checked.ok) throw new Error(`node URL refused: ${checked.problem}`);
    const host = hostOf(new URL(checked.url));
    if (isIP(host) !== 0) return;
    const addresses = await resolve(host);
    const bad = addresses.find((a) => !addressAllowed(a, policy));
    if (bad !== undefined) throw new Error(`node URL refused: ${host} resolves to ${bad}`);
  };
}
