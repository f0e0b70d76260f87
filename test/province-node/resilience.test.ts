/**
 * A province that is slow or down does not hold the hub up, and a hub that is down loses nothing a node
 * pushes: the hub's calls to nodes time out (PEER_TIMEOUT_MS) and fall back to the last pushed status; a node's
 * status changes wait in its outbox, are sent once the hub answers, and sending them again changes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compose, type Parts } from '../../src/app/compose.ts';
import { CODE_LIFETIME_SECONDS } from '../../src/codec/token.ts';
import { loadConfig } from '../../src/config/config.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { signRequest } from '../../src/federation/request-signature.ts';
import { PeerUnavailableError, SignedClient } from '../../src/federation/signed-client.ts';
import { parseDocument } from '../../src/identity/document.domain.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import {
  startApp,
  type TestApp,
  listenOnLoopback,
  TESTS_LOOP_DELAY,
  LOCAL_NODE_URLS,
} from '../helpers/context.ts';
import { ALICE, bearer, HEALTHY_DECLARATION, register, signIn } from '../helpers/people.ts';

const ALICE_DOC = (() => {
  const d = parseDocument(ALICE.documentType, ALICE.documentNumber, 'CHN', '2026-11-27');
  if (!d.ok) throw new Error('bad test person');
  return d.value;
})();

// The hub's calls to a node end on its timeout (PEER_TIMEOUT_MS) or on an error: without them an answer would never
// come. The suite's timeout only guards against that hang; no test measures how long an answer took.
describe('a slow or absent province node does not slow the hub', { timeout: 60_000 }, () => {
  let hub: TestApp;
  let stalled: Server;
  const sockets: Socket[] = [];
  let token: string;
  let keys: ProvinceKeys;

  before(async () => {
    hub = await startApp('sqlite', { env: { PEER_TIMEOUT_MS: '300', ...LOCAL_NODE_URLS } });
    keys = new ProvinceKeys(
      new KeyStore(join(hub.dataDir, 'gd', 'keys'), CODE_LIFETIME_SECONDS + 60),
      '440000',
    );
    await hub.parts.services.provinces.enrol(keys.ensure(hub.clock.now()), new Date(hub.clock.nowMs));
    // A node that accepts connections and never answers.
    stalled = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
    const address = stalled.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await hub.parts.services.provinces.setNodeUrl(
      '440000',
      `http://127.0.0.1:${String(port)}`,
      new Date(hub.clock.nowMs),
    );
    const aliceId = await register(hub.parts, ALICE);
    await hub.parts.repositories.linkedCodes.link(hub.parts.db, aliceId, '440000', hub.clock.nowMs);
    token = await signIn(hub.app, ALICE);
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => stalled.close(r));
    await hub.close();
  });

  const linked = async () => {
    const res = await hub.app.inject({
      method: 'GET',
      url: '/api/v1/me/linked-codes',
      headers: bearer(token),
    });
    assert.equal(res.statusCode, 200, res.body);
    return { linked: res.json<{ linked: { source: string; colour?: string }[] }>().linked };
  };

  test('a node that never answers: the answer comes after the timeout, marked unavailable', async () => {
    const r = await linked();
    assert.deepEqual(
      r.linked.map((l) => l.source),
      ['unavailable'],
    );
  });

  test('with a pushed status, that status is shown instead, as pushed', async () => {
    await hub.parts.repositories.holders.recordHolder(
      hub.parts.db,
      '440000',
      hub.parts.repositories.persons.documentHash(ALICE_DOC),
      hub.clock.nowMs,
    );
    const url = '/api/v1/federation/status-deltas';
    const body = {
      deltas: [
        {
          id: 1,
          documentType: ALICE.documentType,
          documentNumber: ALICE.documentNumber,
          colour: 'yellow',
          reasonCode: 'DECLARED_FEVER',
          reasonText: '申报发热',
          reasonTextEn: 'Declared fever',
          changedAt: new Date(hub.clock.nowMs).toISOString(),
        },
      ],
    };
    const push = await hub.app.inject({
      method: 'POST',
      url,
      headers: signRequest(
        { method: 'POST', path: url, caller: '440000', body },
        keys.accessSigner(),
        hub.clock.now(),
      ),
      payload: body,
    });
    assert.equal(push.statusCode, 200, push.body);
    const r = await linked();
    assert.deepEqual(
      r.linked.map((l) => [l.source, l.colour]),
      [['pushed', 'yellow']],
    );
  });

  // A refused connection fails the call at once, no timer involved: what this checks is the fallback.
  test('a node that is down (connection refused) is unavailable: the pushed status is shown', async () => {
    await hub.parts.services.provinces.setNodeUrl('440000', 'http://127.0.0.1:1', new Date(hub.clock.nowMs));
    const r = await linked();
    assert.deepEqual(
      r.linked.map((l) => l.source),
      ['pushed'],
    );
  });
});

describe("a node's status changes wait for the hub and are delivered once", () => {
  let hub: TestApp;
  let node: Parts;
  let dir: string;
  let hubUrl: string;

  before(async () => {
    hub = await startApp('sqlite', { env: LOCAL_NODE_URLS });
    hubUrl = await listenOnLoopback(hub);
    dir = mkdtempSync(join(tmpdir(), 'ymt-node-'));
    node = await compose(
      loadConfig({ DATA_DIR: dir, DEMO_DATA: 'false', LOG_LEVEL: 'silent', ...TESTS_LOOP_DELAY }),
      {
        clock: hub.clock.now,
        // The hub it was given is not listening: nothing reaches it yet.
        province: { code: '440000', hubUrl: 'http://127.0.0.1:1' },
      },
    );
  });
  after(async () => {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
    await hub.close();
  });

  test('queued while the hub is away, sent when it answers, and a resend changes nothing', async () => {
    const { personId } = await node.repositories.persons.upsert(
      node.db,
      { doc: ALICE_DOC, name: ALICE.name, phone: ALICE.phone },
      hub.clock.nowMs,
    );
    await node.services.declarations.create(
      personId,
      { ...HEALTHY_DECLARATION, temperature: 38.5 },
      hub.clock.now(),
    );
    const outbox = node.node?.exchange;
    assert.ok(outbox);
    assert.equal(await outbox.sweep(hub.clock.now()), 1);
    assert.equal(await outbox.sweep(hub.clock.now()), 0, 'an unchanged status is not queued again');

    const down = node.node?.life.hub;
    assert.ok(down);
    await assert.rejects(outbox.push(down), PeerUnavailableError);
    assert.equal(await outbox.pending(), 1);

    // The hub comes up (enrolled, Alice signed in through the node once).
    assert.ok(node.node);
    await hub.parts.services.provinces.enrol(node.node.life.keys.enrolment(), new Date(hub.clock.nowMs));
    await register(hub.parts, ALICE);
    const aliceHash = hub.parts.repositories.persons.documentHash(ALICE_DOC);
    await hub.parts.repositories.holders.recordHolder(hub.parts.db, '440000', aliceHash, hub.clock.nowMs);
    const live = new SignedClient({ ...down.options, baseUrl: hubUrl });
    assert.equal(await outbox.push(live), 1);
    assert.equal(await outbox.pending(), 0);
    const pushed = await hub.parts.repositories.holders.pushedStatus(hub.parts.db, aliceHash);
    assert.deepEqual(
      pushed.map((p) => [p.province, p.colour]),
      [['440000', 'yellow']],
    );

    // Sent again (as after a crash between sending and moving the cursor): the hub applies nothing new.
    await node.db.updateTable('exchange_cursors').set({ acked_id: 0 }).execute();
    assert.equal(await outbox.push(live), 1);
    assert.deepEqual(await hub.parts.repositories.holders.pushedStatus(hub.parts.db, aliceHash), pushed);
  });
});
