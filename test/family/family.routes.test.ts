import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import {
  ALICE,
  BOB,
  bearer,
  declaredHolder,
  HEALTHY_DECLARATION,
  person,
  register,
  signIn,
} from '../helpers/people.ts';

interface ErrorJson {
  error: { code: string; details?: { field: string; code: string }[] };
}
interface LinkJson {
  id: string;
  maskedName: string;
  relationship: string;
  consent: 'guardian' | 'attested';
  since: string;
}
interface HistoryJson {
  entries: {
    at: string;
    actor: string;
    role: string;
    purpose: string;
    purposeText: string;
    purposeTextEn: string;
  }[];
}

/** The test clock's today is 2026-11-27. */
const GRANDMA = person('黄秀英', '43010219400202724', '13800000001');
const CHILD = person('欧阳娜娜', '33010620150808835', '13800000002');
const TEEN_HOLDER = person('周小明', '11010520120315123', '13800000003');
const UNCLE = person('王大伟', '11010519700101123', '13800000004');

for (const engine of ENGINES) {
  describe(`family members by proxy (${engine})`, () => {
    let hub: TestApp;
    let alice: string;
    before(async () => {
      hub = await startApp(engine, { env: { MAX_DEPENDANTS: '3', MAX_GUARDIANS: '2' } });
      alice = await declaredHolder(hub, ALICE);
      for (const p of [BOB, GRANDMA, CHILD, TEEN_HOLDER, UNCLE]) await register(hub.parts, p);
    });
    after(() => hub.close());

    const call = (
      token: string,
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      payload?: object,
    ) =>
      hub.app.inject({
        method,
        url,
        headers: bearer(token),
        ...(payload === undefined ? {} : { payload }),
      });
    const add = (token: string, p: typeof ALICE, relationship: string, name = p.name) =>
      call(token, 'POST', '/api/v1/me/dependants', {
        documentType: p.documentType,
        documentNumber: p.documentNumber,
        name,
        relationship,
      });
    const code = (res: { json(): unknown }) => (res.json() as ErrorJson).error.code;
    let grandma: LinkJson;
    let child: LinkJson;

    test('a wrong name is refused like a sign-in, says nothing more, and adds nobody', async () => {
      const res = await add(alice, GRANDMA, 'grandparent', '黄秀兰');
      assert.equal(res.statusCode, 422);
      assert.equal(code(res), 'YMT_ERR_DEPENDANT_REAL_NAME');
      const unknown = await add(alice, person('无此人', '11010519800101123', '13800000009'), 'parent');
      assert.equal(code(unknown), 'YMT_ERR_DEPENDANT_REAL_NAME');
      const list = await call(alice, 'GET', '/api/v1/me/dependants');
      assert.deepEqual(list.json<{ dependants: LinkJson[] }>().dependants, []);
    });

    test('an adult is added on the holder’s attestation, a minor on the guardian’s consent', async () => {
      const g = await add(alice, GRANDMA, 'grandparent');
      assert.equal(g.statusCode, 201, g.body);
      grandma = g.json<LinkJson>();
      assert.equal(grandma.maskedName, '黄*英');
      assert.equal(grandma.relationship, 'grandparent');
      assert.equal(grandma.consent, 'attested');
      hub.clock.advance(1);
      const c = await add(alice, CHILD, 'child');
      assert.equal(c.statusCode, 201, c.body);
      child = c.json<LinkJson>();
      assert.equal(child.consent, 'guardian');
      const list = (await call(alice, 'GET', '/api/v1/me/dependants')).json<{ dependants: LinkJson[] }>();
      assert.deepEqual(
        list.dependants.map((d) => d.id),
        [grandma.id, child.id],
      );
    });

    test('refused: oneself, the same person twice, a minor outside a guardian’s relationship, a minor as proxy', async () => {
      const self = await add(alice, ALICE, 'other');
      assert.equal(self.statusCode, 400);
      assert.equal(code(self), 'YMT_ERR_DEPENDANT_SELF');
      const twice = await add(alice, GRANDMA, 'grandparent');
      assert.equal(twice.statusCode, 409);
      assert.equal(code(twice), 'YMT_ERR_DEPENDANT_EXISTS');
      const bob = await signIn(hub.app, BOB);
      const sibling = await add(bob, CHILD, 'sibling');
      assert.equal(sibling.statusCode, 400);
      assert.equal(code(sibling), 'YMT_ERR_DEPENDANT_RELATIONSHIP');
      const teen = await signIn(hub.app, TEEN_HOLDER);
      const minor = await add(teen, GRANDMA, 'grandparent');
      assert.equal(minor.statusCode, 403);
      assert.equal(code(minor), 'YMT_ERR_PROXY_HOLDER_MINOR');
    });

    test('limits: dependants per holder, proxies per person (configured: 3 and 2)', async () => {
      assert.equal((await add(alice, UNCLE, 'other')).statusCode, 201);
      const fourth = await add(alice, BOB, 'spouse');
      assert.equal(fourth.statusCode, 409);
      assert.equal(code(fourth), 'YMT_ERR_DEPENDANT_LIMIT');
      const bob = await signIn(hub.app, BOB);
      assert.equal((await add(bob, GRANDMA, 'parent')).statusCode, 201);
      const uncle = await signIn(hub.app, UNCLE);
      const third = await add(uncle, GRANDMA, 'parent');
      assert.equal(third.statusCode, 409);
      assert.equal(code(third), 'YMT_ERR_GUARDIAN_LIMIT');
    });

    test('the holder fills, modifies and reads a dependant’s declaration: once a day per person', async () => {
      const at = `/api/v1/me/dependants/${grandma.id}/declaration`;
      const created = await call(alice, 'POST', at, { ...HEALTHY_DECLARATION, phone: GRANDMA.phone });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json<{ name: string }>().name, '黄*英');
      const modified = await call(alice, 'PATCH', at, { temperature: 36.9 });
      assert.equal(modified.statusCode, 200, modified.body);
      const again = await call(alice, 'PATCH', at, { temperature: 37.0 });
      assert.equal(code(again), 'YMT_ERR_DECLARATION_DAILY_LIMIT');
      // The rule is the person's: the holder's own declaration can still change today, and the grandmother's
      // cannot, even by herself.
      const own = await call(alice, 'PATCH', '/api/v1/me/declaration', { temperature: 36.8 });
      assert.equal(own.statusCode, 200, own.body);
      const herself = await signIn(hub.app, GRANDMA);
      const hers = await call(herself, 'PATCH', '/api/v1/me/declaration', { temperature: 36.7 });
      assert.equal(code(hers), 'YMT_ERR_DECLARATION_DAILY_LIMIT');
      const read = await call(alice, 'GET', at);
      assert.equal(read.json<{ temperature: number; masked: boolean }>().temperature, 36.9);
      assert.equal(read.json<{ masked: boolean }>().masked, true);
      const full = await call(alice, 'GET', `${at}?full=true`);
      assert.equal(full.statusCode, 403);
      assert.equal(code(full), 'YMT_ERR_PROXY_FULL_VIEW');
    });

    test('the holder shows a dependant’s code — the same answer she gets herself — and health', async () => {
      const proxied = await call(alice, 'POST', `/api/v1/me/dependants/${grandma.id}/code`);
      assert.equal(proxied.statusCode, 200, proxied.body);
      const p = proxied.json<{ codeId: string; maskedName: string; colour: string }>();
      assert.equal(p.maskedName, '黄*英');
      assert.equal(p.colour, 'green');
      const herself = await signIn(hub.app, GRANDMA);
      const own = (await call(herself, 'POST', '/api/v1/me/code')).json<{ codeId: string }>();
      assert.equal(own.codeId, p.codeId);
      const health = await call(alice, 'GET', `/api/v1/me/dependants/${grandma.id}/health`);
      assert.equal(health.statusCode, 200, health.body);
      assert.equal(health.json<{ colour: string }>().colour, 'green');
      // Before a declaration, a child's code asks for one, as the child's own would.
      const childCode = await call(alice, 'POST', `/api/v1/me/dependants/${child.id}/code`);
      assert.equal(code(childCode), 'YMT_ERR_DECLARATION_REQUIRED');
    });

    test('no one acts through another holder’s link', async () => {
      const bob = await signIn(hub.app, BOB);
      const res = await call(bob, 'GET', `/api/v1/me/dependants/${grandma.id}/health`);
      assert.equal(res.statusCode, 404);
      assert.equal(code(res), 'YMT_ERR_DEPENDANT_NOT_FOUND');
      const gone = await call(bob, 'DELETE', `/api/v1/me/dependants/${grandma.id}`);
      assert.equal(code(gone), 'YMT_ERR_DEPENDANT_NOT_FOUND');
    });

    test('the dependant sees every proxy request in her access history, newest first', async () => {
      const herself = await signIn(hub.app, GRANDMA);
      const res = await call(herself, 'GET', '/api/v1/me/access-history');
      assert.equal(res.statusCode, 200, res.body);
      const entries = res.json<HistoryJson>().entries;
      const alices = entries.filter((e) => e.actor === '张*三');
      assert.deepEqual(
        alices.map((e) => e.purpose),
        [
          'health.read',
          'code.show',
          'declaration.read',
          'declaration.read',
          'declaration.modify',
          'declaration.modify',
          'declaration.create',
        ],
      );
      assert.ok(
        alices.every((e) => e.role === 'proxy' && e.purposeText.length > 0 && e.purposeTextEn.length > 0),
      );
      // The holder's own history holds none of it.
      const own = await call(alice, 'GET', '/api/v1/me/access-history');
      assert.deepEqual(own.json<HistoryJson>().entries, []);
    });

    test('an adult dependant ends a proxy; a minor cannot end a guardian’s; the holder can end either', async () => {
      const herself = await signIn(hub.app, GRANDMA);
      const theirs = (await call(herself, 'GET', '/api/v1/me/guardians')).json<{
        guardians: (LinkJson & { canEnd: boolean })[];
      }>().guardians;
      const byAlice = theirs.find((g) => g.maskedName === '张*三');
      assert.ok(byAlice?.canEnd);
      assert.equal((await call(herself, 'DELETE', `/api/v1/me/guardians/${byAlice.id}`)).statusCode, 204);
      const after = await call(alice, 'GET', `/api/v1/me/dependants/${grandma.id}/health`);
      assert.equal(code(after), 'YMT_ERR_DEPENDANT_NOT_FOUND');

      const kid = await signIn(hub.app, CHILD);
      const kids = (await call(kid, 'GET', '/api/v1/me/guardians')).json<{
        guardians: (LinkJson & { canEnd: boolean })[];
      }>().guardians;
      assert.equal(kids.length, 1);
      assert.equal(kids[0]?.canEnd, false);
      const refused = await call(kid, 'DELETE', `/api/v1/me/guardians/${child.id}`);
      assert.equal(refused.statusCode, 403);
      assert.equal(code(refused), 'YMT_ERR_PROXY_GUARDIAN_CONSENT');
      assert.equal((await call(alice, 'DELETE', `/api/v1/me/dependants/${child.id}`)).statusCode, 204);
      const list = (await call(alice, 'GET', '/api/v1/me/dependants')).json<{ dependants: LinkJson[] }>();
      assert.deepEqual(
        list.dependants.map((d) => d.maskedName),
        ['王*伟'],
      );
    });

    test('names guessed through the family form count against the document, as at sign-in', async () => {
      const bob = await signIn(hub.app, BOB);
      let last = 0;
      for (const guess of ['王一伟', '王二伟', '王三伟', '王四伟', '王五伟', '王六伟', '王七伟'])
        last = (await add(bob, UNCLE, 'sibling', guess)).statusCode;
      assert.equal(last, 429);
      const signInNow = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/auth/real-name',
        payload: { documentType: 'id_card', documentNumber: UNCLE.documentNumber, name: UNCLE.name },
      });
      assert.equal(signInNow.statusCode, 429);
    });
  });
}
