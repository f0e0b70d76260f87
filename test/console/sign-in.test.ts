/**
 * Signing in to the operations console (inject, SQLite and PostgreSQL): the three roles say who they are and which
 * sections they see; a missing, wrong, disabled or revoked credential is a 401, a closed section a 403, both
 * before the body is read.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENGINES } from '../helpers/context.ts';
import { BOB, declaredHolder } from '../helpers/people.ts';
import { ALL_SECTIONS, useConsole, type Method } from './console-fixture.ts';

for (const engine of ENGINES) {
  describe(`console sign-in (${engine})`, () => {
    const c = useConsole(engine);

    test('without, with a wrong, a disabled or a revoked credential: 401 before anything is read', async () => {
      await c.fails(undefined, 'GET', '/me', 401, 'YMT_ERR_CONSOLE_UNAUTHENTICATED');
      for (const who of [
        `ymto_${'A'.repeat(43)}`,
        `ymtd_${'A'.repeat(43)}`,
        'not-a-token',
        'disabled',
        'revokedDepartment',
      ]) {
        await c.fails(who, 'GET', '/me', 401, 'YMT_ERR_CONSOLE_UNAUTHENTICATED');
      }
      // A holder's session is not a console credential.
      await c.fails(
        await declaredHolder(c.hub, { ...BOB }),
        'GET',
        '/me',
        401,
        'YMT_ERR_CONSOLE_UNAUTHENTICATED',
      );
      // The credential is checked before the body: a bad body without one is still a 401.
      await c.fails(undefined, 'POST', '/area-risk', 401, 'YMT_ERR_CONSOLE_UNAUTHENTICATED', { level: 'x' });
    });

    test('each role says who it is and which sections it sees', async () => {
      assert.deepEqual(await c.ok('operator', 'GET', '/me'), {
        role: 'operator',
        name: '国家运营值班',
        may: ALL_SECTIONS,
      });
      assert.deepEqual(await c.ok('bj', 'GET', '/me'), {
        role: 'province',
        name: '北京市卫健委',
        province: '110000',
        may: ['rule-sets', 'provinces', 'reports', 'corrections', 'batches'],
      });
      assert.deepEqual(await c.ok('railway', 'GET', '/me'), {
        role: 'department',
        name: '国铁集团',
        source: 'railway',
        may: ['corrections', 'batches'],
      });
      assert.deepEqual(await c.ok('railwayGd', 'GET', '/me'), {
        role: 'department',
        name: '广铁集团',
        province: '440000',
        source: 'railway',
        may: ['corrections', 'batches'],
      });
    });

    test('a role outside its sections gets 403, before its body is read', async () => {
      const closed: [string, Method, string][] = [
        ['bj', 'GET', '/area-risk'],
        ['bj', 'POST', '/area-risk'],
        ['bj', 'GET', '/trust-list'],
        ['bj', 'GET', '/capacity'],
        ['bj', 'POST', `/provinces/110000/keys/${'A'.repeat(11)}/revoke`],
        ['railway', 'GET', '/area-risk'],
        ['railway', 'GET', '/rule-sets'],
        ['railway', 'POST', '/rule-sets/validate'],
        ['railway', 'GET', '/provinces'],
        ['railway', 'GET', '/reports'],
        ['railway', 'GET', '/trust-list'],
        ['railway', 'GET', '/capacity'],
      ];
      for (const [who, method, url] of closed) {
        await c.fails(who, method, url, 403, 'YMT_ERR_CONSOLE_FORBIDDEN', method === 'POST' ? {} : undefined);
      }
    });
  });
}
