/**
 * The node URL rule (src/federation/node-url.domain.ts): examples from the attack run, and properties over
 * arbitrary text and over every spelling of a forbidden address.
 */
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  addressAllowed,
  checkNodeUrl,
  ipv4Number,
  ipv6Groups,
  NODE_URL_MAX_LENGTH,
} from '../../src/federation/node-url.domain.ts';

const PROD = { allowLocal: false };
const DEV = { allowLocal: true };
const refused = (url: string, policy = PROD) => !checkNodeUrl(url, policy).ok;

test('the attack run: the metadata address is refused, in development too', () => {
  for (const policy of [PROD, DEV]) {
    assert.ok(refused('http://169.254.169.254/latest/meta-data/', policy));
    assert.ok(refused('https://169.254.169.254/', policy));
    assert.ok(refused('https://2852039166/', policy), 'the address as one number');
    assert.ok(refused('https://0xa9.0xfe.0xa9.0xfe/', policy), 'in hexadecimal');
    assert.ok(refused('https://[::ffff:169.254.169.254]/', policy), 'IPv4-mapped');
    assert.ok(refused('https://[64:ff9b::a9fe:a9fe]/', policy), 'through NAT64');
    assert.ok(refused('https://[fd00:ec2::254]/', policy), 'EC2 over IPv6');
    assert.ok(refused('https://metadata.google.internal/', policy));
    assert.ok(refused('https://metadata.google.internal./', policy), 'with the root dot');
    assert.ok(refused('https://[fe80::1]/', policy), 'IPv6 link-local');
    assert.ok(refused('https://0.0.0.0/', policy));
    assert.ok(refused('https://[::]/', policy));
  }
});

test('loopback and plain http only for development', () => {
  for (const url of ['http://127.0.0.1:8080', 'https://127.0.0.1/', 'https://127.1.2.3/', 'https://[::1]/']) {
    assert.ok(refused(url, PROD), url);
  }
  assert.ok(refused('https://localhost/', PROD));
  assert.ok(refused('https://node.localhost/', PROD));
  assert.ok(refused('http://node.gd.example/', PROD), 'http outside development');
  assert.deepEqual(checkNodeUrl('http://127.0.0.1:4000', DEV), { ok: true, url: 'http://127.0.0.1:4000/' });
  assert.ok(checkNodeUrl('https://localhost:9443/', DEV).ok);
});

test('private networks are allowed over https; credentials, queries, fragments and white space are not', () => {
  for (const url of [
    'https://10.1.2.3:8443/',
    'https://172.16.0.9/',
    'https://192.168.1.20/',
    'https://[fd12:3456::1]/',
    'https://node.gd.example/',
  ])
    assert.ok(checkNodeUrl(url, PROD).ok, url);
  for (const url of [
    'https://user:secret@node.gd.example/',
    'https://user@node.gd.example/',
    'https://@node.gd.example/',
    'https://node.gd.example/#x',
    'https://node.gd.example/#',
    'https://node.gd.example/?a=1',
    'https://node.gd.example/?',
    ' https://node.gd.example/',
    'https://node.gd.example/\n',
    'https://node\t.gd.example/',
    'ftp://node.gd.example/',
    'file:///etc/passwd',
    'node.gd.example',
    `https://node.gd.example/${'a'.repeat(NODE_URL_MAX_LENGTH)}`,
  ])
    assert.ok(refused(url, DEV), JSON.stringify(url));
});

test('property: any text is either accepted as a URL that passes again, or refused with a reason; never thrown', () => {
  const policies = fc.constantFrom(PROD, DEV);
  const texts = fc.oneof(
    fc.string({ maxLength: 120, unit: 'binary' }),
    fc.webUrl({ withFragments: true, withQueryParameters: true, validSchemes: ['http', 'https'] }),
    fc
      .tuple(fc.constantFrom('http://', 'https://', 'https://[', 'https://a@'), fc.string())
      .map(([a, b]) => a + b),
  );
  fc.assert(
    fc.property(texts, policies, (text, policy) => {
      const r = checkNodeUrl(text, policy);
      if (!r.ok) {
        assert.ok(r.problem.length > 0);
        return;
      }
      assert.deepEqual(checkNodeUrl(r.url, policy), r, 'accepted URLs are stable');
      const url = new URL(r.url);
      assert.ok(url.protocol === 'https:' || policy.allowLocal);
      assert.equal(url.username + url.password + url.search + url.hash, '');
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0) assert.ok(addressAllowed(host, policy), host);
    }),
    { numRuns: 2000 },
  );
});

const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;
const octet = fc.integer({ min: 0, max: 255 });
/** Addresses that are never nodes: link-local (the metadata address among them) and "this network". */
const neverV4 = fc.oneof(
  fc.tuple(octet, octet).map(([c, d]) => v4(169, 254, c, d)),
  fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(0, b, c, d)),
);
const loopbackV4 = fc.tuple(octet, octet, octet).map(([b, c, d]) => v4(127, b, c, d));
/** The spellings of one IPv4 address in a URL that all reach it. */
const spellings = (ip: string): string[] => {
  const n = ipv4Number(ip) ?? 0;
  const hex = (x: number) => x.toString(16);
  return [
    ip,
    String(n),
    `0x${hex(n)}`,
    ip
      .split('.')
      .map((p) => `0x${hex(Number(p))}`)
      .join('.'),
    `[::ffff:${ip}]`,
    `[::ffff:${hex(Math.floor(n / 65536))}:${hex(n % 65536)}]`,
    `[64:ff9b::${ip}]`,
  ];
};
const tails = fc.tuple(
  fc.constantFrom('http', 'https'),
  fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  fc.constantFrom('', '/', '/node', '/a/b/'),
);

test('property: every spelling of a link-local or "this network" address is refused, in development too', () => {
  fc.assert(
    fc.property(neverV4, tails, fc.constantFrom(PROD, DEV), (ip, [scheme, port, path], policy) => {
      for (const host of spellings(ip)) {
        const url = `${scheme}://${host}${port === undefined ? '' : `:${String(port)}`}${path}`;
        assert.ok(refused(url, policy), url);
      }
    }),
  );
});

test('property: every spelling of a loopback address is refused outside development', () => {
  fc.assert(
    fc.property(loopbackV4, tails, (ip, [scheme, port, path]) => {
      for (const host of spellings(ip)) {
        const url = `${scheme}://${host}${port === undefined ? '' : `:${String(port)}`}${path}`;
        assert.ok(refused(url, PROD), url);
        assert.ok(checkNodeUrl(url, DEV).ok, url);
      }
    }),
  );
});

test('property: the IPv6 reader agrees with Node on what an IPv6 address is', () => {
  fc.assert(
    fc.property(fc.ipV6(), (ip) => {
      const groups = ipv6Groups(ip);
      assert.ok(groups !== undefined, ip);
      assert.equal(groups.length, 8);
    }),
  );
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 45 }), fc.stringMatching(/^[0-9a-f:.]{0,45}$/)), (text) => {
      assert.equal(ipv6Groups(text) !== undefined, isIP(text) === 6, text);
    }),
    { numRuns: 5000 },
  );
});

test('property: IPv4 link-local and loopback answers of a name are refused, private ones allowed', () => {
  fc.assert(
    fc.property(neverV4, loopbackV4, (never, loop) => {
      assert.equal(addressAllowed(never, DEV), false);
      assert.equal(addressAllowed(`::ffff:${never}`, DEV), false);
      assert.equal(addressAllowed(loop, PROD), false);
      assert.equal(addressAllowed(loop, DEV), true);
    }),
  );
  for (const a of ['10.0.0.1', '172.31.255.255', '192.168.0.1', 'fd00::1', '2001:db8::1'])
    assert.ok(addressAllowed(a, PROD), a);
  assert.equal(addressAllowed('fe80::1%eth0', DEV), false, 'a zone is not an address');
  assert.equal(addressAllowed('node.gd.example', DEV), false);
});
