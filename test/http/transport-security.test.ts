/**
 * HSTS and the session cookie's Secure flag (issue 17; docs/operations.md#tls): HSTS on answers to requests that
 * came over https — as a proxy listed in TRUST_PROXY says —, never on plain http nor on a client's own claim; the
 * cookie Secure unless configured for development.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, register } from '../helpers/people.ts';

const HSTS = 'max-age=31536000; includeSubDomains';
const HTTPS = { 'x-forwarded-proto': 'https' };

describe('HSTS behind a trusted proxy', () => {
  let proxied: TestApp;
  let direct: TestApp;
  let off: TestApp;
  before(async () => {
    proxied = await startApp('sqlite', { env: { TRUST_PROXY: '127.0.0.1,10.0.0.0/8' } });
    direct = await startApp('sqlite');
    off = await startApp('sqlite', { env: { TRUST_PROXY: '127.0.0.1', HSTS_MAX_AGE_SECONDS: '0' } });
  });
  after(async () => {
    await Promise.all([proxied.close(), direct.close(), off.close()]);
  });

  test('an https request through the trusted proxy gets HSTS, on the API and the pages', async () => {
    for (const url of ['/healthz', '/api/v1/regions', '/does-not-exist']) {
      const res = await proxied.app.inject({ method: 'GET', url, headers: HTTPS, remoteAddress: '10.1.2.3' });
      assert.equal(res.headers['strict-transport-security'], HSTS, url);
    }
  });

  test('plain http, a client that is not a listed proxy, and a hub that trusts no proxy: no HSTS', async () => {
    const plain = await proxied.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '127.0.0.1' });
    assert.equal(plain.headers['strict-transport-security'], undefined);
    const stranger = await proxied.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: HTTPS,
      remoteAddress: '203.0.113.9',
    });
    assert.equal(stranger.headers['strict-transport-security'], undefined);
    const untrusted = await direct.app.inject({ method: 'GET', url: '/healthz', headers: HTTPS });
    assert.equal(untrusted.headers['strict-transport-security'], undefined);
  });

  test('HSTS_MAX_AGE_SECONDS=0 sends none', async () => {
    const res = await off.app.inject({ method: 'GET', url: '/healthz', headers: HTTPS });
    assert.equal(res.headers['strict-transport-security'], undefined);
  });

  test('TRUST_PROXY takes addresses and CIDRs only: trusting everyone is a configuration error', () => {
    assert.deepEqual(loadConfig({}).trustProxy, []);
    assert.deepEqual(loadConfig({ TRUST_PROXY: ' 10.0.0.1, fd00::/8 ' }).trustProxy, [
      '10.0.0.1',
      'fd00::/8',
    ]);
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.example', '10.0.0.1/8/1'])
      assert.throws(() => loadConfig({ TRUST_PROXY: bad }), /TRUST_PROXY/, bad);
  });
});

describe('the session cookie', () => {
  let dev: TestApp;
  before(async () => {
    dev = await startApp('sqlite', { env: { COOKIE_SECURE: 'false' } });
    await register(dev.parts, ALICE);
  });
  after(() => dev.close());

  test('Secure by default, in production too; off only for development or when set false', () => {
    assert.equal(loadConfig({}).cookieSecure, true);
    assert.equal(loadConfig({ NODE_ENV: 'production' }).cookieSecure, true);
    assert.equal(loadConfig({ NODE_ENV: 'development' }).cookieSecure, false);
    assert.equal(loadConfig({ NODE_ENV: 'development', COOKIE_SECURE: 'true' }).cookieSecure, true);
    assert.equal(loadConfig({ COOKIE_SECURE: 'false' }).cookieSecure, false);
  });

  test('COOKIE_SECURE=false: the cookie is not Secure (a plain-http demonstration on another machine)', async () => {
    const res = await dev.app.inject({
      method: 'POST',
      url: '/api/v1/auth/real-name',
      payload: { documentType: ALICE.documentType, documentNumber: ALICE.documentNumber, name: ALICE.name },
    });
    assert.equal(res.statusCode, 200);
    const cookie = res.cookies.find((c) => c.name === 'ymt_session');
    assert.ok(cookie);
    assert.notEqual(cookie.secure, true);
  });
});

describe('NODE_URLS_ALLOW_LOCAL', () => {
  test('off by default, and refused with NODE_ENV=production', () => {
    assert.equal(loadConfig({}).nodeUrlsAllowLocal, false);
    assert.equal(loadConfig({ NODE_URLS_ALLOW_LOCAL: 'true' }).nodeUrlsAllowLocal, true);
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', NODE_URLS_ALLOW_LOCAL: 'true' }),
      /NODE_URLS_ALLOW_LOCAL/,
    );
  });
});
