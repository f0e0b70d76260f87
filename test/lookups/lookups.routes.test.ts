/**
 * Checkpoint staff's look-ups by document (Q9, docs/checkpoint-lookups.md) on both engines: the person present is
 * found by the document and name on their card, with what a code would have shown; the manual check is recorded
 * once; both are in the person's access history; names guessed here count as at sign-in; each credential opens
 * only its own routes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, BOB, bearer, confirmedCase, declaredHolder, person, register } from '../helpers/people.ts';

interface LookupJson {
  id: string;
  colour: string;
  maskedName: string;
  declared: boolean;
  reasons: { code: string; text: string; textEn: string }[];
  asOf: string;
}
interface ErrorJson {
  error: { code: string };
}

const CAROL = person('陈小红', '11010519800101123', '13800000005');

for (const engine of ENGINES) {
  describe(`checkpoint look-ups by document (${engine})`, () => {
    let hub: TestApp;
    let staff: string;
    let colleague: string;
    let registrar: string;
    let alice: string;
    before(async () => {
      hub = await startApp(engine);
      const now = hub.clock.now();
      const create = hub.parts.services.staff.create.bind(hub.parts.services.staff);
      staff = (await create('checkpoint', '虹桥站查验点', '310112', now)).token;
      colleague = (await create('checkpoint', '浦东机场查验点', '310115', now)).token;
      registrar = (await create('registrar', '社区', '310101', now)).token;
      alice = await declaredHolder(hub, ALICE);
      await register(hub.parts, BOB);
      await register(hub.parts, CAROL);
    });
    after(() => hub.close());

    const lookUp = (token: string, p: typeof ALICE, name = p.name) =>
      hub.app.inject({
        method: 'POST',
        url: '/api/v1/checkpoint/lookups',
        headers: bearer(token),
        payload: { documentType: p.documentType, documentNumber: p.documentNumber, name },
      });
    const decide = (token: string, id: string, decision: string) =>
      hub.app.inject({
        method: 'POST',
        url: `/api/v1/checkpoint/lookups/${id}/decision`,
        headers: bearer(token),
        payload: { decision },
      });
    let first: LookupJson;

    test('the person present is found by document and name: what their code would have shown', async () => {
      const res = await lookUp(staff, ALICE);
      assert.equal(res.statusCode, 201, res.body);
      first = res.json<LookupJson>();
      assert.deepEqual([first.colour, first.maskedName, first.declared], ['green', '张*三', true]);
      const wrong = await lookUp(staff, ALICE, '张小四');
      assert.equal(wrong.statusCode, 422);
      assert.equal(wrong.json<ErrorJson>().error.code, 'YMT_ERR_STAFF_REAL_NAME');
      // A person who never declared is found too, and the staff see it.
      const bob = (await lookUp(staff, BOB)).json<LookupJson>();
      assert.equal(bob.declared, false);
    });

    test('a confirmed case is red, with its reason', async () => {
      await confirmedCase(hub, BOB);
      const bob = (await lookUp(staff, BOB)).json<LookupJson>();
      assert.equal(bob.colour, 'red');
      assert.ok(bob.reasons.some((r) => r.textEn.length > 0 && r.code.length > 0));
    });

    test('the manual check is recorded once, only by whoever looked', async () => {
      const other = await decide(colleague, first.id, 'pass');
      assert.equal(other.statusCode, 404);
      assert.equal(other.json<ErrorJson>().error.code, 'YMT_ERR_LOOKUP_NOT_FOUND');
      const ok = await decide(staff, first.id, 'pass');
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json<{ decision: string }>().decision, 'pass');
      const again = await decide(staff, first.id, 'refuse');
      assert.equal(again.statusCode, 409);
      assert.equal(again.json<ErrorJson>().error.code, 'YMT_ERR_LOOKUP_DECIDED');
    });

    test('the person sees every look-up and the decision in their access history', async () => {
      const res = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/me/access-history',
        headers: bearer(alice),
      });
      const entries = res.json<{
        entries: { actor: string; actorEn: string; role: string; purpose: string; purposeTextEn: string }[];
      }>().entries;
      assert.deepEqual(
        entries.map((e) => [e.role, e.purpose]),
        [
          ['checkpoint', 'check.pass'],
          ['checkpoint', 'status.lookup'],
        ],
      );
      const [latest] = entries;
      assert.ok(latest);
      assert.equal(latest.actor, '虹桥站查验点 · 闵行区');
      assert.equal(latest.actorEn, '虹桥站查验点 · Minhang District');
      assert.equal(latest.purposeTextEn, 'manual check: let through');
    });

    test('each credential opens only its own routes; none, a holder’s session: 401', async () => {
      for (const token of [registrar, alice, 'ymtc_not-a-real-token-at-all-000000']) {
        const res = await lookUp(token, ALICE);
        assert.equal(res.statusCode, 401);
        assert.equal(res.json<ErrorJson>().error.code, 'YMT_ERR_STAFF_UNAUTHENTICATED');
      }
      const asRegistrar = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/registrar/declarations',
        headers: bearer(staff),
        payload: {},
      });
      assert.equal(asRegistrar.statusCode, 401);
    });

    test('names guessed at a checkpoint count against the document, as at sign-in', async () => {
      let last = 0;
      for (const guess of ['陈一红', '陈二红', '陈三红', '陈四红', '陈五红', '陈六红', '陈七红'])
        last = (await lookUp(colleague, CAROL, guess)).statusCode;
      assert.equal(last, 429);
      const signIn = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/auth/real-name',
        payload: { documentType: 'id_card', documentNumber: CAROL.documentNumber, name: CAROL.name },
      });
      assert.equal(signIn.statusCode, 429);
    });
  });
}
