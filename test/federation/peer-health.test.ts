/**
 * Circuit breakers for peers (issue 14, "peers and feeds"): the breaker alone on an injected clock, then a signed
 * client calling a node that hangs — each call waits for the timeout until the circuit opens; then no call goes out.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { FAILURES_TO_OPEN, PeerHealth } from '../../src/federation/peer-health.ts';
import { PeerUnavailableError, SignedClient } from '../../src/federation/signed-client.ts';

describe('PeerHealth', () => {
  test('opens after repeated failures, lets one trial through after a while, closes on success', () => {
    let now = 0;
    const h = new PeerHealth(3, 1000, () => now);
    const peer = 'http://node:1';
    for (let i = 0; i < 2; i++) {
      assert.equal(h.allow(peer), true);
      h.failed(peer);
    }
    h.succeeded(peer);
    assert.equal(h.snapshot()[0]?.consecutiveFailures, 0, 'a success in between starts the count again');
    for (let i = 0; i < 3; i++) h.failed(peer);
    assert.equal(h.allow(peer), false, 'open');
    assert.equal(h.snapshot()[0]?.up, false);
    now = 999;
    assert.equal(h.allow(peer), false);
    now = 1000;
    assert.equal(h.allow(peer), true, 'one trial');
    assert.equal(h.allow(peer), false, 'only one');
    h.failed(peer);
    assert.equal(h.allow(peer), false, 'the trial failed: open again');
    now = 2000;
    assert.equal(h.allow(peer), true);
    h.succeeded(peer);
    assert.equal(h.allow(peer), true, 'closed');
    assert.deepEqual(h.snapshot(), [
      { peer, up: true, consecutiveFailures: 0, calls: 8, failures: 6, shortCircuited: 4 },
    ]);
    assert.equal(h.allow('http://other:2'), true, 'per peer');
  });
});

describe('a signed client behind the breaker, calling a node that hangs', () => {
  let server: Server;
  let base: string;
  let received = 0;
  before(async () => {
    server = createServer(() => {
      received++; // and never answers
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test(`each call costs the timeout until ${String(FAILURES_TO_OPEN)} failed in a row, then none reaches it`, async () => {
    const health = new PeerHealth();
    const client = new SignedClient({
      baseUrl: base,
      caller: '440000',
      sign: () => new Uint8Array(64),
      timeoutMs: 200,
      clock: () => new Date(),
      health,
    });
    for (let i = 0; i < FAILURES_TO_OPEN; i++)
      await assert.rejects(client.call('GET', '/api/v1/anything'), PeerUnavailableError);
    // Then the breaker answers: no call goes out (on a busy machine a timed-out call may not even have reached the
    // node, so `received` is at most the calls made, never more).
    for (let i = 0; i < 20; i++) await assert.rejects(client.call('GET', '/api/v1/anything'), /circuit open/);
    const [state] = health.snapshot();
    assert.equal(state?.calls, FAILURES_TO_OPEN, 'only the failing calls went out');
    assert.equal(state.shortCircuited, 20);
    assert.equal(state.up, false);
    assert.ok(received <= FAILURES_TO_OPEN, 'nothing more reached the node');
  });
});
