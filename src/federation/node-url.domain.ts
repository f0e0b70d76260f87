/**
 * Where a provincial node may say it listens (docs/federation.md#node-urls): the hub sends signed calls to that
 * address, so a province must not be able to point it at the hub's own machine, a cloud metadata service or the
 * link-local network. Pure: the same rule at every entry point (the province API, `yimatong province`, the
 * service) and, for the address a name resolves to, at call time (guarded-lookup.ts).
 *
 * - https only; plain http only where local node URLs are allowed (NODE_URLS_ALLOW_LOCAL, development).
 * - Never: link-local (169.254/16, fe80::/10) — the metadata address 169.254.169.254 among them —, the metadata
 *   names and fd00:ec2::254, unspecified and "this network" (0/8, ::), multicast and broadcast, IPv4-compatible
 *   IPv6 (::/96).
 * - Loopback (127/8, ::1, localhost and *.localhost) only where local node URLs are allowed.
 * - Private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) are allowed: provinces run nodes on their
 *   private networks, and the hub reaches them over a private line.
 * - No user name or password, no query, no fragment, no white space or control characters, at most 300
 *   characters.
 */
export interface NodeUrlPolicy {
  /** Development only: plain http and loopback addresses (NODE_URLS_ALLOW_LOCAL). */
  readonly allowLocal: boolean;
}

export type NodeUrlCheck =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly problem: string };

export const NODE_URL_MAX_LENGTH = 300;

/** Dotted-quad IPv4 as a 32-bit number; undefined if it is not exactly a.b.c.d. */
export function ipv4Number(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255))
    return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** IPv6 text (with :: and an IPv4 tail allowed, no zone) as eight 16-bit groups; undefined if it is not one. */
export function ipv6Groups(text: string): number[] | undefined {
  if (!/^[0-9a-f:.]+$/i.test(text) || text.split('::').length > 2) return undefined;
  let tail: number[] = [];
  let body = text;
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = ipv4Number(last);
    if (v4 === undefined) return undefined;
    tail = [Math.floor(v4 / 65536), v4 % 65536];
    body = text.slice(0, lastColon + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const groupsOf = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const want = 8 - tail.length;
  const halves = body.split('::');
  if (halves.length === 2) {
    const head = groupsOf(halves[0] ?? '');
    const rest = groupsOf(halves[1] ?? '');
    if (!head || !rest || head.length + rest.length > want - 1) return undefined;
    return [...head, ...Array<number>(want - head.length - rest.length).fill(0), ...rest, ...tail];
  }
  const all = groupsOf(body);
  if (!all || all.length !== want) return undefined;
  return [...all, ...tail];
}

/** a.b.c.d in [base, base + 2^(32-bits)). */
const inV4 = (n: number, base: string, bits: number): boolean => {
  const size = 2 ** (32 - bits);
  const b = ipv4Number(base) ?? 0;
  return n >= b && n < b + size;
};

/** 'never' (no node, development or not), 'loopback' (development only) or 'allowed'. */
function classifyV4(n: number): 'never' | 'loopback' | 'allowed' {
  if (inV4(n, '127.0.0.0', 8)) return 'loopback';
  if (
    inV4(n, '0.0.0.0', 8) || // unspecified, "this network"
    inV4(n, '169.254.0.0', 16) || // link-local, the metadata address 169.254.169.254 among them
    inV4(n, '224.0.0.0', 4) || // multicast
    inV4(n, '240.0.0.0', 4) // reserved, broadcast
  )
    return 'never';
  return 'allowed';
}

function classifyV6(g: readonly number[]): 'never' | 'loopback' | 'allowed' {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const v4 = g6 * 65536 + g7;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0) {
    // IPv4-mapped (::ffff:a.b.c.d): what the IPv4 address is.
    if (g5 === 0xffff) return classifyV4(v4);
    // ::1 is loopback; :: and the deprecated IPv4-compatible ::a.b.c.d are never nodes.
    if (g5 === 0 && g6 === 0 && g7 === 1) return 'loopback';
    if (g5 === 0) return 'never';
  }
  // NAT64 (64:ff9b::a.b.c.d): what the IPv4 address is.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyV4(v4);
  if ((g0 & 0xffc0) === 0xfe80) return 'never'; // link-local fe80::/10
  if ((g0 & 0xff00) === 0xff00) return 'never'; // multicast ff00::/8
  // The EC2 metadata service over IPv6, fd00:ec2::254 (inside the private fc00::/7, which is allowed).
  if (
    g0 === 0xfd00 &&
    g1 === 0xec2 &&
    g2 === 0 &&
    g3 === 0 &&
    g4 === 0 &&
    g5 === 0 &&
    g6 === 0 &&
    g7 === 0x254
  )
    return 'never';
  return 'allowed';
}

/** Names of metadata services, resolved inside clouds to link-local addresses. */
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Whether `host` is an IP address literal (IPv4 dotted quad, or IPv6 without brackets). */
export function isIpLiteral(host: string): boolean {
  return ipv4Number(host) !== undefined || ipv6Groups(host) !== undefined;
}

/** Whether the hub may connect to this IP address (a literal in the URL, or what a name resolved to). */
export function addressAllowed(address: string, policy: NodeUrlPolicy): boolean {
  const v4 = ipv4Number(address);
  const v6 = v4 === undefined ? ipv6Groups(address) : undefined;
  if (v4 === undefined && v6 === undefined) return false;
  const kind = v4 !== undefined ? classifyV4(v4) : classifyV6(v6 ?? []);
  return kind === 'allowed' || (kind === 'loopback' && policy.allowLocal);
}

/** The node URL as the hub will store it, or why it is refused. */
export function checkNodeUrl(raw: string, policy: NodeUrlPolicy): NodeUrlCheck {
  if (raw.length === 0 || raw.length > NODE_URL_MAX_LENGTH)
    return { ok: false, problem: `must be 1 to ${NODE_URL_MAX_LENGTH} characters` };
  // The URL parser would quietly drop these; a URL that needs them dropped is refused instead.
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(raw))
    return { ok: false, problem: 'white space or control characters' };
  if (raw.includes('#')) return { ok: false, problem: 'a fragment (#) is not allowed' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'not an absolute URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowLocal))
    return { ok: false, problem: policy.allowLocal ? 'must be http or https' : 'must be https' };
  if (url.username !== '' || url.password !== '' || /^[a-z]+:\/\/[^/]*@/i.test(raw))
    return { ok: false, problem: 'credentials in the URL are not allowed' };
  if (url.search !== '' || raw.includes('?')) return { ok: false, problem: 'a query (?) is not allowed' };
  const host = hostOf(url);
  if (host === '') return { ok: false, problem: 'no host' };
  if (isIpLiteral(host)) {
    if (!addressAllowed(host, policy)) return { ok: false, problem: `address ${host} is not allowed` };
  } else if (METADATA_NAMES.has(host)) {
    return { ok: false, problem: `${host} is a metadata service` };
  } else if (host === 'localhost' || host.endsWith('.localhost')) {
    if (!policy.allowLocal) return { ok: false, problem: `${host} is loopback` };
  }
  return { ok: true, url: url.toString() };
}

/** The host without IPv6 brackets and without a trailing dot, lower case (the URL parser lower-cases names). */
export function hostOf(url: URL): string {
  const h = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return h.endsWith('.') ? h.slice(0, -1) : h;
}
