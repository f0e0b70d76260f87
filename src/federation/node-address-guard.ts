/**
 * How the hub reaches nodes (docs/federation.md#node-urls). Before each call the stored URL passes the node URL rule
 * again (a URL stored before the rule, or under a looser configuration, is not called; an address written in the URL
 * is checked there). A host name is resolved when the connection is made, by the connection's own look-up, and the
 * connection goes only to an address the rule allows — the one that was checked: a name pointing at 169.254.169.254
 * or, outside development, 127.0.0.1 is refused, and a DNS answer that changes between a check and the connection
 * (DNS rebinding) has nothing to slip through, because there is no second look-up. Redirects are refused by the
 * caller (signed-client.ts), not followed.
 */
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { addressAllowed, checkNodeUrl, type NodeUrlPolicy } from './node-url.domain.ts';

export type Resolve = (host: string) => Promise<readonly string[]>;

const resolveAll: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The hub's way to nodes: the URL check before a call, and connections that reach allowed addresses only. */
export interface NodeConnections {
  /** Throws (with the reason) when the hub must not call `baseUrl`. */
  readonly check: (baseUrl: string) => void;
  /** What the calls connect through (fetch's `dispatcher`): every name resolved and checked at connect time. */
  readonly dispatcher: Dispatcher;
  close(): Promise<void>;
}

/** The addresses `host` resolves to, refused (with the reason) when any is one the rule forbids. */
export async function allowedAddresses(
  host: string,
  policy: NodeUrlPolicy,
  resolve: Resolve = resolveAll,
): Promise<{ address: string; family: number }[]> {
  const addresses = await resolve(host);
  if (addresses.length === 0) throw new Error(`node URL refused: ${host} resolves to no address`);
  const bad = addresses.find((a) => !addressAllowed(a, policy));
  if (bad !== undefined) throw new Error(`node URL refused: ${host} resolves to ${bad}`);
  return addresses.map((address) => ({ address, family: isIP(address) }));
}

/** Connections to nodes under `policy`; `resolve` is the DNS look-up (a test gives its own). */
export function nodeConnections(policy: NodeUrlPolicy, resolve: Resolve = resolveAll): NodeConnections {
  const checkedLookup: LookupFunction = (host, options, callback) => {
    allowedAddresses(host, policy, resolve).then(
      (found) => {
        const first = found[0];
        if (options.all === true) callback(null, found);
        else if (first) callback(null, first.address, first.family);
      },
      (e: unknown) => {
        callback(e instanceof Error ? e : new Error(String(e)), '', 0);
      },
    );
  };
  const agent = new Agent({ connect: { lookup: checkedLookup } });
  return {
    check: (baseUrl) => {
      const checked = checkNodeUrl(baseUrl, policy);
      if (!checked.ok) throw new Error(`node URL refused: ${checked.problem}`);
    },
    dispatcher: agent,
    close: () => agent.close(),
  };
}
