/**
 * Publish before use, the node's choice of signing key: the newest of its keys that the hub's list (as the node
 * holds it) carries; after a rotation the previous key signs until the hub lists the new one; a revoked key never
 * signs, and with nothing else the node refuses to issue (YMT_ERR_SIGNING_KEY_UNPUBLISHED) rather than sign with
 * a key no verifier knows.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CODE_LIFETIME_SECONDS } from '../../src/codec/token.ts';
import { AppError } from '../../src/errors/app-error.ts';
import {
  certifiedEnd,
  RETIRED_KEY_OVERLAP_MS,
  SIGNING_KEY_VALIDITY_MS,
} from '../../src/province-node/province-keys.ts';
import {
  chooseSigningKid,
  PublishedKeySigning,
  type PublishedKeys,
} from '../../src/province-node/published-key-signing.ts';
import { KeyStore, type PublicKeyInfo } from '../../src/signing/keystore.ts';
import { KeyringCache } from '../../src/signing/trust-list.service.ts';

const T0 = Date.parse('2026-11-27T02:00:00.000Z');
const DAY = 86400_000;
const LIFETIME_MS = CODE_LIFETIME_SECONDS * 1000;

function key(kid: string, createdAt: number, retiredAt?: number): PublicKeyInfo {
  return {
    kid,
    createdAt: new Date(createdAt),
    retiredAt: retiredAt === undefined ? undefined : new Date(retiredAt),
    alg: 'ES256',
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
  };
}

/** The hub's list as the hub builds it from the node's certificates: the certified end plus a code's lifetime. */
function published(
  keys: readonly PublicKeyInfo[],
  revoked: readonly string[] = [],
  iss = '440000',
): PublishedKeys {
  return {
    keys: new Map(
      keys.map((k) => [
        k.kid,
        { iss, notBefore: k.createdAt.getTime(), notAfter: certifiedEnd(k).getTime() + LIFETIME_MS },
      ]),
    ),
    revoked: new Map(revoked.map((kid) => [kid, {}])),
  };
}

describe('chooseSigningKid', () => {
  const rotatedAt = T0 + 20 * DAY;
  const old = key('old', T0, rotatedAt);
  const fresh = key('new', rotatedAt);
  const ring = [old, fresh];

  test('one key, listed: it signs; not listed, or no list yet: none', () => {
    const only = key('only', T0);
    assert.equal(chooseSigningKid([only], published([only]), '440000', T0 + 1000), 'only');
    assert.equal(chooseSigningKid([only], published([]), '440000', T0 + 1000), undefined);
    assert.equal(chooseSigningKid([only], undefined, '440000', T0 + 1000), undefined);
  });

  test('rotated, the new key not yet published: the previous key signs', () => {
    // The hub still lists the old key with its full window (its shorter certificate is not uploaded yet either).
    const before = published([key('old', T0)]);
    assert.equal(chooseSigningKid(ring, before, '440000', rotatedAt + 1000), 'old');
  });

  test('rotated, the new key published: the new one signs', () => {
    assert.equal(chooseSigningKid(ring, published(ring), '440000', rotatedAt + 1000), 'new');
  });

  test('the previous key signs only within its overlap after retirement, and only codes that stay verifiable', () => {
    const listedOld = published([old]);
    assert.equal(chooseSigningKid(ring, listedOld, '440000', rotatedAt + RETIRED_KEY_OVERLAP_MS), 'old');
    assert.equal(
      chooseSigningKid(ring, listedOld, '440000', rotatedAt + RETIRED_KEY_OVERLAP_MS + 1),
      undefined,
    );
    // A hub that lists a shorter window than the node's own: a code signed now must verify until it expires.
    const short: PublishedKeys = {
      keys: new Map([['old', { iss: '440000', notBefore: T0, notAfter: rotatedAt + LIFETIME_MS }]]),
      revoked: new Map(),
    };
    assert.equal(chooseSigningKid(ring, short, '440000', rotatedAt), 'old');
    assert.equal(chooseSigningKid(ring, short, '440000', rotatedAt + 1), undefined);
  });

  test('a revoked key never signs: the previous one may, else none', () => {
    // The new key published, then revoked; the old one, retired a moment ago, is still listed.
    assert.equal(chooseSigningKid(ring, published([old], ['new']), '440000', rotatedAt + 1000), 'old');
    // The only key revoked, nothing newer published: none.
    const only = key('only', T0);
    assert.equal(chooseSigningKid([only], published([], ['only']), '440000', T0 + 1000), undefined);
    // Revoked, and still among the keys of a list that says both (a list would not): revoked wins.
    assert.equal(chooseSigningKid([only], published([only], ['only']), '440000', T0 + 1000), undefined);
  });

  test('a key the list gives another issuer, or one not yet in service, or past its certified end, does not sign', () => {
    const only = key('only', T0);
    assert.equal(chooseSigningKid([only], published([only], [], '110000'), '440000', T0 + 1000), undefined);
    assert.equal(chooseSigningKid([only], published([only]), '440000', T0 - 1000), undefined);
    assert.equal(
      chooseSigningKid([only], published([only]), '440000', T0 + SIGNING_KEY_VALIDITY_MS + 1),
      undefined,
    );
  });
});

describe('PublishedKeySigning over a real key store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-pks-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const store = new KeyStore(join(dir, 'keys'));
  store.ensure(new Date(T0));
  const keys = new KeyringCache(
    store,
    {
      issuer: { iss: '440000', name: '广东', nameEn: 'Guangdong' },
      validityHours: 168,
      retentionSeconds: 960,
    },
    3600_000,
  );
  let list: PublishedKeys | undefined;
  const signing = new PublishedKeySigning(keys, () => list, '440000');

  test('signs with the listed key; after a rotation, with the previous one until the list carries the new', () => {
    const first = keys.current(T0).activeKid;
    assert.throws(
      () => signing.signingKey(new Date(T0 + 1000)),
      (e: unknown) =>
        e instanceof AppError && e.code === 'YMT_ERR_SIGNING_KEY_UNPUBLISHED' && e.status === 503,
    );
    list = published(keys.current(T0).keys);
    const a = signing.signingKey(new Date(T0 + 1000));
    assert.equal(a.kid, first);
    assert.equal(Buffer.from(a.signer.kid).toString('base64url'), first);

    const rotatedAt = T0 + 20 * DAY;
    store.rotate(new Date(rotatedAt));
    const ring = keys.reload();
    assert.notEqual(ring.activeKid, first);
    const b = signing.signingKey(new Date(rotatedAt + 1000));
    assert.equal(b.kid, first, 'the new key is not published yet: the previous one signs');

    list = published(ring.keys);
    const c = signing.signingKey(new Date(rotatedAt + 2000));
    assert.equal(c.kid, ring.activeKid);
    assert.equal(Buffer.from(c.signer.kid).toString('base64url'), ring.activeKid);

    // The new key revoked by the hub, the previous one past its overlap: no key may sign.
    list = published(ring.keys, [ring.activeKid]);
    assert.throws(
      () => signing.signingKey(new Date(rotatedAt + RETIRED_KEY_OVERLAP_MS + 1)),
      (e: unknown) => e instanceof AppError && e.code === 'YMT_ERR_SIGNING_KEY_UNPUBLISHED',
    );
  });
});
