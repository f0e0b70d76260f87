/**
 * Publish before use, a node against a real hub over loopback: the node signs only with a key the hub's list
 * carries. Its key revoked and nothing newer published, it refuses to issue (503 YMT_ERR_SIGNING_KEY_UNPUBLISHED);
 * its key sync rotates, uploads and takes the list again, and the new key signs. Rotated again by hand, it keeps
 * signing with the previous key until the hub lists the new one. Every code it hands out verifies at the hub.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandLineActor } from '../../src/access/actor.ts';
import { compose, type Parts } from '../../src/app/compose.ts';
import { codeKid } from '../../src/codec/verify.ts';
import { loadConfig } from '../../src/config/config.ts';
import { AppError } from '../../src/errors/app-error.ts';
import { parseDocument } from '../../src/identity/document.domain.ts';
import type { ProvinceNode } from '../../src/province-node/province-node.ts';
import {
  listenOnLoopback,
  startApp,
  TESTS_LOOP_DELAY,
  type TestApp,
  LOCAL_NODE_URLS,
} from '../helpers/context.ts';
import { ALICE, BOB, HEALTHY_DECLARATION } from '../helpers/people.ts';

describe('a node signs only with a key the hub publishes', () => {
  let hub: TestApp;
  let node: Parts;
  let life: ProvinceNode;
  let dir: string;

  before(async () => {
    hub = await startApp('sqlite', { env: LOCAL_NODE_URLS });
    const hubUrl = await listenOnLoopback(hub);
    dir = mkdtempSync(join(tmpdir(), 'ymt-node-'));
    node = await compose(
      loadConfig({
        DATA_DIR: dir,
        DEMO_DATA: 'false',
        LOG_LEVEL: 'silent',
        ...TESTS_LOOP_DELAY,
        // Only the test moves the node's list and keys: the background refresh waits an hour.
        TRUST_LIST_REFRESH_SECONDS: '3600',
      }),
      { clock: hub.clock.now, province: { code: '440000', hubUrl } },
    );
    assert.ok(node.node);
    life = node.node.life;
    await hub.parts.services.provinces.enrol(life.keys.enrolment(), hub.clock.now());
    await life.start('http://127.0.0.1:1');
  });
  after(async () => {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
    await hub.close();
  });

  /** A resident of the node, declared. */
  const resident = async (person: typeof ALICE) => {
    const doc = parseDocument(person.documentType, person.documentNumber, 'CHN', '2026-11-27');
    if (!doc.ok) throw new Error('bad test person');
    const { personId } = await node.repositories.persons.upsert(
      node.db,
      { doc: doc.value, name: person.name, phone: person.phone },
      hub.clock.nowMs,
    );
    await node.services.declarations.create(personId, HEALTHY_DECLARATION, hub.clock.now());
    // What a confirmed sign-in brings: the holder's national status (a node issues no code without it).
    assert.ok(node.node);
    await node.node.national.store(
      personId,
      { id: 1, status: { colour: 'green', reasons: [] }, asOf: hub.clock.nowMs },
      hub.clock.now(),
    );
    return personId;
  };

  /** A code from the node for the person: its kid, checked at the hub. */
  const codeFor = async (personId: string): Promise<string> => {
    const { code } = await node.services.codes.apply(personId, undefined, hub.clock.now());
    const verified = await hub.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { code } });
    assert.equal(verified.json<{ valid: boolean }>().valid, true, verified.body);
    const kid = codeKid(code);
    assert.ok(kid);
    return kid;
  };

  const hubLists = async (kid: string) =>
    (await hub.parts.trust.trustList(hub.clock.now())).loaded.keys.has(kid);

  test('revoked with nothing newer published: no code; the key sync rotates and the new key signs', async () => {
    const alice = await resident(ALICE);
    const first = node.keys.current(hub.clock.nowMs).activeKid;
    assert.equal(await codeFor(alice), first);

    await hub.parts.services.issuerKeys.revoke(
      commandLineActor('test'),
      { kid: first, reason: 'key compromised (test)' },
      hub.clock.now(),
    );
    await life.trust.refresh(hub.clock.now());
    await assert.rejects(
      node.services.codes.apply(alice, undefined, hub.clock.now()),
      (e: unknown) =>
        e instanceof AppError && e.code === 'YMT_ERR_SIGNING_KEY_UNPUBLISHED' && e.status === 503,
    );

    hub.clock.advance(1);
    await life.syncKeys(hub.clock.now());
    const second = node.keys.current(hub.clock.nowMs).activeKid;
    assert.notEqual(second, first);
    assert.equal(await hubLists(second), true);
    assert.equal(await codeFor(alice), second);
  });

  test('rotated by hand: the previous key signs until the hub lists the new one, then the new one', async () => {
    const previous = node.keys.current(hub.clock.nowMs).activeKid;
    hub.clock.advance(60);
    node.keyStore.rotate(hub.clock.now());
    const rotated = node.keys.reload().activeKid;
    assert.notEqual(rotated, previous);
    assert.equal(await hubLists(rotated), false);
    // A fresh code (Bob has none yet) is signed with the previous key, which every verifier knows.
    const bob = await resident(BOB);
    assert.equal(await codeFor(bob), previous);

    await life.syncKeys(hub.clock.now());
    assert.equal(await hubLists(rotated), true);
    // The code signed with the previous key is not shown again: a new one, with the new key.
    assert.equal(await codeFor(bob), rotated);
    // The previous key's window now ends an overlap after its retirement (plus a code's lifetime at the hub).
    const listed = (await hub.parts.trust.trustList(hub.clock.now())).loaded.keys.get(previous);
    assert.ok(listed?.notAfter !== undefined);
    assert.ok(listed.notAfter > hub.clock.nowMs + 15 * 60_000);
  });
});
