import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, bearer, register } from '../helpers/people.ts';

for (const engine of ENGINES) {
  describe(`real-name authentication (${engine})`, () => {
    let hub: TestApp;
    before(async () => {
      hub = await startApp(engine);
      await register(hub.parts, ALICE);
    });
    after(() => hub.close());

    const signIn = (payload: Record<string, unknown>) =>
      hub.app.inject({ method: 'POST', url: '/api/v1/auth/real-name', payload });

    test('the right document and name give a bearer token and an HttpOnly cookie', async () => {
      const res = await signIn({
        documentType: 'id_card',
        documentNumber: ALICE.documentNumber,
        name: ALICE.name,
      });
      assert.equal(res.statusCode, 200);
      const body = res.json<{ token: string; tokenType: string; expiresAt: string }>();
      assert.equal(body.tokenType, 'Bearer');
      assert.equal(Date.parse(body.expiresAt), hub.clock.nowMs + 1800_000);
      const cookie = res.cookies.find((c) => c.name === 'ymt_session');
      assert.equal(cookie?.value, body.token);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Strict');
      // Secure by default (issue 17): only development (NODE_ENV=development) or COOKIE_SECURE=false turn it off.
      assert.equal(cookie.secure, true);
      // The cookie alone authenticates the web app.
      const viaCookie = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/me/code',
        cookies: { ymt_session: body.token },
      });
      assert.notEqual(viaCookie.statusCode, 401);
    });

    test('a lower-case x and surrounding spaces are accepted', async () => {
      const res = await signIn({
        documentType: 'id_card',
        documentNumber: ` ${ALICE.documentNumber.toLowerCase()} `,
        name: ` ${ALICE.name}`,
      });
      assert.equal(res.statusCode, 200);
    });

    test('a wrong name and an unknown document get the same answer', async () => {
      const wrongName = await signIn({
        documentType: 'id_card',
        documentNumber: ALICE.documentNumber,
        name: '王五',
      });
      const unknownDoc = await signIn({
        documentType: 'id_card',
        documentNumber: '11010519491231002X',
        name: ALICE.name,
      });
      assert.equal(wrongName.statusCode, 401);
      assert.equal(unknownDoc.statusCode, 401);
      assert.deepEqual(wrongName.json(), unknownDoc.json());
      assert.equal(wrongName.json<{ error: { code: string } }>().error.code, 'YMT_ERR_REAL_NAME_FAILED');
      assert.equal(wrongName.json<{ error: { details?: unknown } }>().error.details, undefined);
    });

    test('a malformed document number is a 400 naming the field', async () => {
      const res = await signIn({
        documentType: 'id_card',
        documentNumber: `${ALICE.documentNumber.slice(0, 17)}0`,
        name: ALICE.name,
      });
      const check = ALICE.documentNumber.endsWith('0')
        ? 'YMT_ERR_REAL_NAME_FAILED'
        : 'YMT_ERR_ID_NUMBER_CHECKSUM';
      assert.equal(res.json<{ error: { code: string } }>().error.code, check);
      const bad = await signIn({
        documentType: 'passport',
        documentNumber: 'E12345678',
        name: 'X',
        nationality: 'ZZZ',
      });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(
        bad
          .json<{ error: { code: string; details: { field: string }[] } }>()
          .error.details.map((d) => d.field),
        ['nationality'],
      );
    });

    test('a body that is not the schema is a coded 400', async () => {
      for (const payload of [
        {},
        { documentType: 'driver_licence', documentNumber: 'x', name: 'y' },
        { ...ALICE, extra: 1 },
      ]) {
        const res = await signIn(payload);
        assert.equal(res.statusCode, 400, JSON.stringify(payload));
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'YMT_ERR_VALIDATION');
      }
      const notJson = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/auth/real-name',
        headers: { 'content-type': 'application/json' },
        payload: '{not json',
      });
      assert.equal(notJson.statusCode, 400);
      assert.equal(notJson.json<{ error: { code: string } }>().error.code, 'YMT_ERR_VALIDATION');
    });

    test('no token, an unknown token and an expired session are refused', async () => {
      assert.equal(
        (await hub.app.inject({ method: 'GET', url: '/api/v1/me/declaration' })).json<{
          error: { code: string };
        }>().error.code,
        'YMT_ERR_UNAUTHENTICATED',
      );
      const unknown = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/me/declaration',
        headers: bearer('x'.repeat(43)),
      });
      assert.equal(unknown.statusCode, 401);
      const res = await signIn({
        documentType: 'id_card',
        documentNumber: ALICE.documentNumber,
        name: ALICE.name,
      });
      const token = res.json<{ token: string }>().token;
      hub.clock.advance(1801);
      const expired = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/me/declaration',
        headers: bearer(token),
      });
      assert.equal(expired.json<{ error: { code: string } }>().error.code, 'YMT_ERR_SESSION_EXPIRED');
    });

    test('sign-out ends the session', async () => {
      const token = (
        await signIn({ documentType: 'id_card', documentNumber: ALICE.documentNumber, name: ALICE.name })
      ).json<{ token: string }>().token;
      const out = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-out',
        headers: bearer(token),
      });
      assert.equal(out.statusCode, 204);
      const after = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/me/declaration',
        headers: bearer(token),
      });
      assert.equal(after.statusCode, 401);
    });
  });
}
