/**
 * Stopping a server (`yimatong serve`, `yimatong province`): a request in flight is answered; neither a peer's
 * idle keep-alive connection nor a connection that never sent a request holds the stop. Before, a hub with nodes
 * took 69 s to stop: two such connections (nothing read from them) waited for the server's headers timeout, and
 * app.close() with them; this test's own timeout fails first.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import Fastify from 'fastify';
import { closeGracefully, listen } from '../../src/cli/server-lifecycle.ts';
import { loadConfig } from '../../src/config/config.ts';

const get = (agent: Agent, port: number, path: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });

test(
  'a stop answers the request in flight and does not wait for idle or silent connections',
  { timeout: 20_000 },
  async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    let started: () => void = () => undefined;
    const inHandler = new Promise<void>((r) => (started = r));
    const app = Fastify();
    app.get('/quick', () => ({ ok: true }));
    app.get('/slow', async () => {
      started();
      await released;
      return { ok: 'slow' };
    });
    const port = await listen(app, loadConfig({ PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'false' }));
    const idle = new Agent({ keepAlive: true });
    const busy = new Agent({ keepAlive: true });
    try {
      // A pooled connection, idle after its first request, as a peer's client keeps one.
      assert.equal((await get(idle, port, '/quick')).status, 200);
      // A connection that sends nothing.
      const silent = connect(port, '127.0.0.1');
      await new Promise((r) => silent.once('connect', r));
      silent.on('error', () => undefined);
      const slow = get(busy, port, '/slow');
      await inHandler;
      const stopping = closeGracefully(app);
      let stopped = false;
      void stopping.then(() => (stopped = true));
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(stopped, false, 'the stop waits for the request in flight');
      release();
      assert.deepEqual(await slow, { status: 200, body: JSON.stringify({ ok: 'slow' }) });
      await stopping;
    } finally {
      idle.destroy();
      busy.destroy();
    }
  },
);
