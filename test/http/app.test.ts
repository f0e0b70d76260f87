import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startApp, type TestApp } from '../helpers/context.ts';

interface OpenApi {
  paths: Record<
    string,
    Record<string, { operationId?: string; responses?: Record<string, unknown>; requestBody?: unknown }>
  >;
}

describe('the HTTP app', () => {
  let hub: TestApp;
  before(async () => {
    hub = await startApp('sqlite', { env: { BODY_LIMIT_BYTES: '2048' } });
  });
  after(() => hub.close());

  test('GET /healthz', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/healthz' });
    assert.deepEqual(res.json(), { status: 'ok', engine: 'sqlite', role: 'hub', issuer: 'CN' });
  });

  test('GET /openapi.json documents every API route with a response schema and a GB/T 38963 operation id', async () => {
    const doc = (await hub.app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApi>();
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => ({ path, m, op })),
    );
    const ids = ops.map((o) => o.op.operationId);
    for (const id of [
      'realNameAuthenticate',
      'declareHealthInformation',
      'queryHealthInformation',
      'modifyHealthInformation',
      'applyForCode',
      'makeCode',
      'verifyCode',
      'getTrustList',
    ]) {
      assert.ok(ids.includes(id), id);
    }
    for (const { path, m, op } of ops) {
      assert.ok(
        op.responses && Object.keys(op.responses).some((s) => s.startsWith('2')),
        `${m} ${path} has no success response schema`,
      );
    }
    assert.ok(doc.paths['/api/v1/me/declaration']?.post?.requestBody);
  });

  test('the three faces are served with a strict CSP; assets are immutable, pages revalidated', async () => {
    for (const [url, title] of [
      ['/', /防疫健康信息码/],
      ['/scan/', /健康码查验/],
      ['/console/', /运营控制台/],
    ] as const) {
      const res = await hub.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /^<!doctype html>/, url);
      assert.match(res.body, title, url);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self';/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(res.body)?.[1];
      assert.ok(script, `${url} loads a bundled script`);
      const asset = await hub.app.inject({ method: 'GET', url: script });
      assert.equal(asset.statusCode, 200);
      assert.match(String(asset.headers['cache-control']), /immutable/);
    }
    const bare = await hub.app.inject({ method: 'GET', url: '/scan' });
    assert.equal(bare.statusCode, 301);
    assert.equal(bare.headers.location, '/scan/');
    const sw = await hub.app.inject({ method: 'GET', url: '/sw.js' });
    assert.equal(sw.statusCode, 200);
    assert.match(String(sw.headers['content-type']), /javascript/);
  });

  test('unknown routes and oversized bodies have coded errors', async () => {
    const missing = await hub.app.inject({ method: 'GET', url: '/nope' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json<{ error: { code: string } }>().error.code, 'YMT_ERR_NOT_FOUND');
    const big = await hub.app.inject({
      method: 'POST',
      url: '/api/v1/verify',
      payload: { code: 'x'.repeat(4000) },
    });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json<{ error: { code: string } }>().error.code, 'YMT_ERR_PAYLOAD_TOO_LARGE');
  });

  test('an unexpected failure is a 500 that says nothing internal', async () => {
    await hub.parts.db.destroy();
    const res = await hub.app.inject({
      method: 'POST',
      url: '/api/v1/auth/real-name',
      payload: { documentType: 'id_card', documentNumber: '11010519491231002X', name: '张三' },
    });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(Object.keys(res.json<{ error: object }>().error).sort(), [
      'code',
      'message',
      'messageEn',
    ]);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'YMT_ERR_INTERNAL');
    assert.doesNotMatch(res.body, /kysely|sqlite|stack|destroy/i);
  });
});
