/**
 * A node's copy of the hub's trust list, looking again on an unknown kid (finding 4: a code from a key the hub had
 * just listed was refused at another node because that node had fetched the list a moment before, and its look
 * again was rate-limited without regard to the kid). The hub here is a fake fetch that counts the node's calls;
 * time is a fake clock that only the bounds' waits move, so nothing depends on how fast the machine is.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { codeKid } from '../../src/codec/verify.ts';
import { CODE_LIFETIME_SECONDS, signCode } from '../../src/codec/token.ts';
import {
  signTrustList,
  TRUST_LIST_FORMAT,
  type TrustListDocument,
  type TrustListKeyJwk,
  type TrustListRevocation,
} from '../../src/codec/trust-list.ts';
import { HubTrustList, type LookAgainBounds } from '../../src/province-node/hub-trust-list.ts';
import { KeyStore, type Keyring } from '../../src/signing/keystore.ts';
import { verifyWithTrust } from '../../src/verification/verify-with-trust.ts';

const NOW = new Date('2026-11-27T02:00:00.000Z');
const BOUNDS: LookAgainBounds = { perKidMs: 30_000, minIntervalMs: 250, maxKids: 100 };
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ymt-htl-'));
  dirs.push(d);
  return d;
}

/** A key ring of its own (the hub's anchor, or a province's signing keys). */
function ring(): Keyring {
  const store = new KeyStore(join(tempDir(), 'keys'));
  store.ensure(NOW);
  return store.read();
}

const hubRing = ring();
const anchor = { ...hubRing.anchor.publicJwk, kid: hubRing.anchor.kid };

function jwkOf(r: Keyring, iss: string): TrustListKeyJwk {
  const k = r.keys[0];
  assert.ok(k);
  return { ...k.publicJwk, kid: k.kid, alg: 'ES256', use: 'sig', iss, notBefore: k.createdAt.toISOString() };
}

function listOf(
  version: number,
  keys: TrustListKeyJwk[],
  revoked: TrustListRevocation[] = [],
): TrustListDocument {
  return signTrustList(
    {
      format: TRUST_LIST_FORMAT,
      version,
      issuedAt: NOW.toISOString(),
      expiresAt: new Date(NOW.getTime() + 7 * 86400_000).toISOString(),
      issuers: [
        { iss: 'CN', name: '国家', nameEn: 'Hub' },
        { iss: '440000', name: '广东', nameEn: 'Guangdong' },
      ],
      keys,
      ...(revoked.length > 0 ? { revoked } : {}),
    },
    hubRing.anchor.kid,
    hubRing.anchor.sign,
  );
}

function codeBy(r: Keyring, iss: string): string {
  const iat = Math.floor(NOW.getTime() / 1000);
  return signCode(
    {
      iss,
      iat,
      exp: iat + CODE_LIFETIME_SECONDS,
      cti: new Uint8Array(16).fill(7),
      colour: 'green',
      maskedName: '张*三',
    },
    r.signer,
  );
}

/** A random well-formed kid nobody has. */
function randomKid(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('base64url');
}

/** The hub as the node sees it: the list it serves now, and every call the node makes. */
class FakeHub {
  served: TrustListDocument;
  calls = 0;
  down = false;
  /** While set, answers wait for it (a fetch under way). */
  hold: Promise<void> | undefined;

  constructor(served: TrustListDocument) {
    this.served = served;
  }

  readonly fetch = (async (input: URL | RequestInfo, init?: RequestInit) => {
    this.calls++;
    // What the hub had when the request reached it.
    const doc = this.served;
    if (this.hold) await this.hold;
    if (this.down) throw new TypeError('fetch failed');
    assert.ok(input instanceof URL);
    assert.equal(input.pathname, '/.well-known/yimatong/trust-list');
    const etag = `"${doc.version}"`;
    const sent = new Headers(init?.headers).get('if-none-match');
    if (sent === etag) return new Response(null, { status: 304, headers: { etag } });
    return new Response(JSON.stringify(doc), { status: 200, headers: { etag } });
  }) as typeof fetch;
}

/** Milliseconds that move only when the node waits out a bound. */
class FakeTime {
  ms = NOW.getTime();
  readonly nowMs = () => this.ms;
  readonly sleep = (ms: number) => {
    this.ms += ms;
    return Promise.resolve();
  };
}

describe("a node's look again on an unknown kid", () => {
  const hubKey = ring();
  const gdKey = ring();
  let hub: FakeHub;
  let time: FakeTime;
  let trust: HubTrustList;

  beforeEach(async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'hub-anchor.json'), JSON.stringify(anchor));
    hub = new FakeHub(listOf(1, [jwkOf(hubKey, 'CN')]));
    time = new FakeTime();
    trust = new HubTrustList('http://hub.test', dir, 2000, {
      fetch: hub.fetch,
      nowMs: time.nowMs,
      sleep: time.sleep,
      lookAgain: BOUNDS,
    });
    await trust.init(NOW);
    assert.equal(await trust.refresh(NOW), true);
    assert.equal(hub.calls, 1);
  });

  test('a key the hub listed a moment after the node fetched: the node fetches again and the code verifies', async () => {
    // Guangdong's key is published right after this node's fetch; its code comes at once.
    hub.served = listOf(2, [jwkOf(hubKey, 'CN'), jwkOf(gdKey, '440000')]);
    const { result } = await verifyWithTrust(trust, codeBy(gdKey, '440000'), NOW, 60);
    assert.equal(result.valid, true, JSON.stringify(result));
    assert.equal(hub.calls, 2);
    // Known now: no further call.
    assert.equal((await verifyWithTrust(trust, codeBy(gdKey, '440000'), NOW, 60)).result.valid, true);
    assert.equal(hub.calls, 2);
  });

  test('the same unknown kid asks the hub at most once per perKidMs', async () => {
    const code = codeBy(gdKey, '440000');
    const refused = async () => {
      const { result } = await verifyWithTrust(trust, code, NOW, 60);
      assert.deepEqual(result, { valid: false, error: 'YMT_ERR_CODE_KID_UNKNOWN' });
    };
    await refused();
    assert.equal(hub.calls, 2);
    for (let i = 0; i < 5; i++) await refused();
    assert.equal(hub.calls, 2, 'the same kid again within perKidMs: no call');
    time.ms += BOUNDS.perKidMs;
    await refused();
    assert.equal(hub.calls, 3, 'after perKidMs the kid may be looked for again');
  });

  test('a flood of random kids at once costs one fetch', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, () => trust.lookAgain(NOW, randomKid())));
    assert.ok(answers.every((a) => !a));
    assert.equal(hub.calls, 2);
  });

  test('random kids one after another: look-again fetches at least minIntervalMs apart', async () => {
    const start = time.ms;
    for (let i = 0; i < 20; i++) assert.equal(await trust.lookAgain(NOW, randomKid()), false);
    const looks = hub.calls - 1;
    assert.equal(looks, 20, 'each new kid is looked for');
    // The fake clock moved only by the node's own waits: 20 fetches took at least 19 intervals.
    assert.ok(time.ms - start >= (looks - 1) * BOUNDS.minIntervalMs, `${time.ms - start} ms`);
  });

  test('more kids than it remembers: it forgets the oldest, and the fetches stay bounded', async () => {
    const kids = Array.from({ length: BOUNDS.maxKids * 3 }, randomKid);
    await Promise.all(kids.map((k) => trust.lookAgain(NOW, k)));
    assert.equal(hub.calls, 2);
    // The latest are still remembered: asking for them again costs nothing.
    await Promise.all(kids.slice(-10).map((k) => trust.lookAgain(NOW, k)));
    assert.equal(hub.calls, 2);
  });

  test('a fetch under way when the code comes may predate the key: the node fetches again after it', async () => {
    let release: () => void = () => undefined;
    hub.hold = new Promise<void>((r) => (release = r));
    // The periodic refresh asks the hub; the hub answers with the list it has: without Guangdong's key.
    const periodic = trust.refresh(NOW);
    while (hub.calls < 2) await new Promise(setImmediate);
    // Guangdong's key is published; its code comes while that answer is still on its way.
    hub.served = listOf(2, [jwkOf(hubKey, 'CN'), jwkOf(gdKey, '440000')]);
    const verified = verifyWithTrust(trust, codeBy(gdKey, '440000'), NOW, 60);
    hub.hold = undefined;
    release();
    assert.equal(await periodic, false);
    assert.equal((await verified).result.valid, true);
    assert.equal(hub.calls, 3);
  });

  test('a hub that does not answer: the code is refused, and the kid is not asked for again at once', async () => {
    hub.down = true;
    const code = codeBy(gdKey, '440000');
    assert.equal((await verifyWithTrust(trust, code, NOW, 60)).result.valid, false);
    assert.equal(hub.calls, 2);
    assert.equal((await verifyWithTrust(trust, code, NOW, 60)).result.valid, false);
    assert.equal(hub.calls, 2);
  });

  test('a revoked kid counts as known: the node does not look again for it', async () => {
    const gd = jwkOf(gdKey, '440000');
    hub.served = listOf(
      2,
      [jwkOf(hubKey, 'CN')],
      [{ kid: gd.kid, iss: '440000', revokedAt: NOW.toISOString() }],
    );
    const { result } = await verifyWithTrust(trust, codeBy(gdKey, '440000'), NOW, 60);
    assert.deepEqual(result, { valid: false, error: 'YMT_ERR_CODE_KEY_REVOKED' });
    assert.equal(hub.calls, 2);
    assert.equal(await trust.lookAgain(NOW, gd.kid), true);
    assert.equal(hub.calls, 2);
  });
});

test('codeKid: the kid a code names, or undefined for text that does not decode', () => {
  const r = ring();
  assert.equal(codeKid(codeBy(r, 'CN')), r.activeKid);
  assert.equal(codeKid(`  ${codeBy(r, 'CN')}\n`), r.activeKid);
  assert.equal(codeKid('YMT1:not base45'), undefined);
  assert.equal(codeKid('hello'), undefined);
});
