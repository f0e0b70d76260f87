/**
 * Node URLs at the hub (issue 17): a province registering its node through the province API, on SQLite and
 * PostgreSQL, is held to the node URL rule (src/federation/node-url.domain.ts) — the attack run's
 * http://169.254.169.254/ is refused with a coded 400 and nothing is stored —, and the hub checks again when it
 * calls a node: a URL stored before the rule, a name resolving to a forbidden address or a redirect make the call
 * fail without reaching anything, and a connection goes to the very address that was checked (no second look-up for
 * a DNS rebinding to change).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CODE_LIFETIME_SECONDS } from '../../src/codec/token.ts';
import {
  allowedAddresses,
  nodeConnections,
  type NodeConnections,
  type Resolve,
} from '../../src/federation/node-address-guard.ts';
import { signRequest } from '../../src/federation/request-signature.ts';
import { hubClientOf, PeerUnavailableError } from '../../src/federation/signed-client.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import { ENGINES, LOCAL_NODE_URLS, startApp, type TestApp } from '../helpers/context.ts';

const METADATA = 'http://169.254.169.254/latest/meta-data/';

for (const engine of ENGINES) {
  describe(`node URLs at the hub (${engine})`, () => {
    let hub: TestApp;
    let dev: TestApp;
    let gd: ProvinceKeys;

    const enrol = async (at: TestApp) => {
      const store = new KeyStore(join(at.dataDir, 'provinces', '440000', 'keys'), CODE_LIFETIME_SECONDS + 60);
      const keys = new ProvinceKeys(store, '440000');
      await at.parts.services.provinces.enrol(keys.ensure(at.clock.now()), at.clock.now());
      return keys;
    };
    const register = (at: TestApp, keys: ProvinceKeys, url: string) => {
      const body = { url };
      const path = '/api/v1/federation/node';
      return at.app.inject({
        method: 'PUT',
        url: path,
        headers: signRequest(
          { method: 'PUT', path, caller: '440000', body },
          keys.accessSigner(),
          at.clock.now(),
        ),
        payload: body,
      });
    };
    const stored = async (at: TestApp) => (await at.parts.services.provinces.province('440000'))?.nodeUrl;

    before(async () => {
      hub = await startApp(engine);
      dev = await startApp(engine, { env: LOCAL_NODE_URLS });
      gd = await enrol(hub);
    });
    after(async () => {
      await hub.close();
      await dev.close();
    });

    test('the metadata address is refused with a coded 400, and nothing is stored', async () => {
      for (const url of [METADATA, 'https://169.254.169.254/', 'https://[::ffff:169.254.169.254]/']) {
        const res = await register(hub, gd, url);
        assert.equal(res.statusCode, 400, url);
        const body = res.json<{ error: { code: string; details: { field: string }[] } }>();
        assert.equal(body.error.code, 'YMT_ERR_NODE_URL_REFUSED');
        assert.deepEqual(
          body.error.details.map((d) => d.field),
          ['url'],
        );
      }
      assert.equal(await stored(hub), null);
    });

    test('outside development: plain http, loopback and credentials are refused; an https node on a private network is taken', async () => {
      for (const url of [
        'http://node.gd.example/',
        'https://127.0.0.1:8443/',
        'https://localhost/',
        'https://[::1]/',
        'https://user:pw@node.gd.example/',
        'https://node.gd.example/#frag',
      ]) {
        const res = await register(hub, gd, url);
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'YMT_ERR_NODE_URL_REFUSED');
      }
      assert.equal((await register(hub, gd, 'https://10.44.0.7:8443')).statusCode, 200);
      assert.equal(await stored(hub), 'https://10.44.0.7:8443/');
    });

    test('the service refuses too (every entry point comes through it)', async () => {
      await assert.rejects(
        hub.parts.services.provinces.setNodeUrl('440000', METADATA, hub.clock.now()),
        (e: unknown) => (e as { code?: string }).code === 'YMT_ERR_NODE_URL_REFUSED',
      );
    });

    test('configured for development: loopback over http is taken, the metadata address still refused', async () => {
      const keys = await enrol(dev);
      assert.equal((await register(dev, keys, 'http://127.0.0.1:4000')).statusCode, 200);
      assert.equal(await stored(dev), 'http://127.0.0.1:4000/');
      const res = await register(dev, keys, METADATA);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'YMT_ERR_NODE_URL_REFUSED');
      assert.equal(await stored(dev), 'http://127.0.0.1:4000/');
    });
  });
}

describe("the hub's calls to nodes", () => {
  const servers: Server[] = [];
  const hits: string[] = [];
  const serve = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  };
  const pools: NodeConnections[] = [];
  const caller = (allowLocal: boolean, resolve?: Resolve) => {
    const connections = nodeConnections({ allowLocal }, resolve);
    pools.push(connections);
    return {
      hubIssuerId: 'CN',
      sign: () => () => new Uint8Array(64),
      timeoutMs: 2000,
      nodeUrls: { allowLocal },
      connections,
    };
  };
  after(async () => {
    await Promise.all(pools.map((p) => p.close()));
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  test('a URL stored before the rule (loopback, outside development) is not called', async () => {
    const url = await serve((req, res) => {
      hits.push(`legacy ${String(req.url)}`);
      res.end('{}');
    });
    const client = hubClientOf(caller(false), url, () => new Date());
    await assert.rejects(client.call('GET', '/api/v1/federation/ping'), PeerUnavailableError);
    assert.deepEqual(hits, []);
    // Configured for development, the same call goes through.
    const ok = await hubClientOf(caller(true), url, () => new Date()).call('GET', '/api/v1/federation/ping');
    assert.equal(ok.status, 200);
    assert.deepEqual(hits.splice(0), ['legacy /api/v1/federation/ping']);
  });

  test('a node that redirects the hub elsewhere is not followed', async () => {
    const target = await serve((req, res) => {
      hits.push(`target ${String(req.url)}`);
      res.end('{}');
    });
    const node = await serve((_req, res) => {
      res.writeHead(302, { location: `${target}/latest/meta-data/` }).end();
    });
    const client = hubClientOf(caller(true), node, () => new Date());
    await assert.rejects(
      client.call('POST', '/api/v1/federation/code-holder', { codeId: 'x' }),
      PeerUnavailableError,
    );
    assert.deepEqual(hits, []);
  });

  test('a name resolving to a forbidden address is refused; one resolving to a private address passes', async () => {
    const answers: Record<string, string[]> = {
      'node.evil.example': ['10.0.0.5', '169.254.169.254'],
      'loop.evil.example': ['::1'],
      'node.gd.example': ['10.44.0.7', 'fd12::7'],
    };
    const resolve: Resolve = (host) => Promise.resolve(answers[host] ?? []);
    const policy = { allowLocal: false };
    await assert.rejects(allowedAddresses('node.evil.example', policy, resolve), /169\.254\.169\.254/);
    await assert.rejects(allowedAddresses('loop.evil.example', policy, resolve), /::1/);
    await assert.rejects(allowedAddresses('nowhere.example', policy, resolve), /no address/);
    assert.deepEqual(await allowedAddresses('node.gd.example', policy, resolve), [
      { address: '10.44.0.7', family: 4 },
      { address: 'fd12::7', family: 6 },
    ]);
    const { check } = caller(false, resolve).connections;
    check('https://node.gd.example/');
    assert.throws(() => {
      check('http://node.gd.example/');
    }, /https/);
  });

  test('a connection goes to the address that was checked: no second look-up a DNS rebinding could change', async () => {
    const url = new URL(
      await serve((req, res) => {
        hits.push(`checked ${String(req.url)}`);
        res.end('{}');
      }),
    );
    // A name only the hub's checked look-up knows: the call reaches the address it checked (fetch's own look-up
    // would not find the name at all).
    const known = caller(true, (host) => Promise.resolve(host === 'node.rebind.test' ? ['127.0.0.1'] : []));
    const reached = await hubClientOf(known, `http://node.rebind.test:${url.port}`, () => new Date()).call(
      'GET',
      '/api/v1/federation/ping',
    );
    assert.equal(reached.status, 200);
    assert.deepEqual(hits.splice(0), ['checked /api/v1/federation/ping']);
    // The name answers the metadata address at connect time, whatever the system's resolver says: refused.
    const rebound = caller(true, () => Promise.resolve(['169.254.169.254']));
    await assert.rejects(
      hubClientOf(rebound, `http://localhost:${url.port}`, () => new Date()).call(
        'GET',
        '/api/v1/federation/ping',
      ),
      /169\.254\.169\.254/,
    );
    assert.deepEqual(hits, []);
  });
});
