/**
 * Corrections: who sees what, deadlines, attachments and limits (issue 13), through the real app on SQLite and
 * PostgreSQL. A department sees and decides only its own tickets, a province only its own; an overdue ticket is
 * escalated to the national operators (an injected clock) and counted in the oversight; attachments are refused by
 * content and size; a record not shown to the holder, or their own declaration, cannot be disputed; the same record
 * twice is one ticket; a holder has only so many open.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { CODE_LIFETIME_SECONDS } from '../../src/codec/token.ts';
import { signRequest } from '../../src/federation/request-signature.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { bearer, declaredHolder, register, signIn, doc, person } from '../helpers/people.ts';

const HOLDER = person('周杰', '44030519910707636', '13900000011');
const CASE = person('吴刚', '44030519800808747', '13900000012');
const OTHER = person('郑爽', '44030519930909858', '13900000013');

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

type Body = { error?: { code: string } } & Record<string, unknown>;

for (const engine of ENGINES) {
  describe(`corrections: access, deadlines, attachments, limits (${engine})`, () => {
    let hub: TestApp;
    let holder: string;
    let other: string;
    const token: Record<string, string> = {};
    let trips: { source: string; batchId: string; record: number }[] = [];

    before(async () => {
      hub = await startApp(engine);
      holder = await declaredHolder(hub, HOLDER);
      other = await declaredHolder(hub, OTHER);
      await register(hub.parts, CASE);
      const now = hub.clock.now();
      const { departments, consoleAccounts } = hub.parts.services;
      token.railway = (await departments.create('国铁集团', 'railway', null, now)).token;
      token.railwayGd = (await departments.create('广铁集团', 'railway', '440000', now)).token;
      token.operator = (await consoleAccounts.create('国家运营值班', null, now)).token;
      token.gd = (await consoleAccounts.create('广东省卫健委', '440000', now)).token;
      token.bj = (await consoleAccounts.create('北京市卫健委', '110000', now)).token;
      // Eight trips with the case: eight records the holder may dispute.
      const rows = [];
      for (let i = 0; i < 8; i++) {
        rows.push({
          ...doc(CASE),
          trainNo: `G${String(100 + i)}`,
          date: '2026-11-25',
          carriage: 1,
          seat: '01A',
        });
        rows.push({
          ...doc(HOLDER),
          trainNo: `G${String(100 + i)}`,
          date: '2026-11-25',
          carriage: 1,
          seat: '02A',
        });
      }
      await sendFeed(hub, 'railway', 'rail-a', rows);
      await sendFeed(hub, 'health', 'case-a', [
        { ...doc(CASE), status: 'confirmed', at: '2026-11-26T08:00:00+08:00' },
      ]);
      const h = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/me/health/co-travel',
        headers: bearer(holder),
      });
      trips = h
        .json<{ evidence: { source: string; batchId: string; record: number } }[]>()
        .map((t) => t.evidence);
      assert.equal(trips.length, 8, h.body);
    });
    after(() => hub.close());

    const submit = (evidence: object, who = holder, text = '不是我') =>
      hub.app.inject({
        method: 'POST',
        url: '/api/v1/me/corrections',
        headers: bearer(who),
        payload: { evidence, kind: 'not_me', text },
      });
    const call = async (method: 'GET' | 'POST', url: string, who: string, payload?: object) => {
      const r = await hub.app.inject({ method, url, headers: bearer(who), ...(payload ? { payload } : {}) });
      return { status: r.statusCode, body: r.json<Body>() };
    };
    const trip = (i: number) => {
      const t = trips[i];
      assert.ok(t);
      return t;
    };

    test('only what the hub shows the holder can be disputed, never their own declaration; bad input is coded', async () => {
      const foreign = await submit(trip(0), other);
      assert.equal(foreign.json<Body>().error?.code, 'YMT_ERR_CORRECTION_EVIDENCE');
      const own = await submit({ source: 'declaration', batchId: 'declaration', record: 1 });
      assert.equal(own.json<Body>().error?.code, 'YMT_ERR_CORRECTION_NOT_DISPUTABLE');
      for (const payload of [
        { evidence: trip(0), kind: 'because', text: 'x' },
        { evidence: trip(0), kind: 'other', text: '' },
        { evidence: { ...trip(0), extra: 1 }, kind: 'other', text: 'x' },
      ]) {
        const r = await hub.app.inject({
          method: 'POST',
          url: '/api/v1/me/corrections',
          headers: bearer(holder),
          payload,
        });
        assert.equal(r.statusCode, 400, r.body);
      }
      const none = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/me/corrections',
        headers: bearer(holder),
      });
      assert.deepEqual(none.json<{ corrections: unknown[] }>().corrections, [], 'nothing was written');
    });

    test('the same record twice is one ticket; a holder has at most five open', async () => {
      const first = await submit(trip(0));
      assert.equal(first.statusCode, 201, first.body);
      const again = await submit(trip(0), holder, '补充：当天我在深圳');
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json<{ id: string; merged: boolean }>().id, first.json<{ id: string }>().id);
      for (let i = 1; i < 5; i++) assert.equal((await submit(trip(i))).statusCode, 201);
      const sixth = await submit(trip(5));
      assert.equal(sixth.statusCode, 429, sixth.body);
      assert.equal(sixth.json<Body>().error?.code, 'YMT_ERR_TOO_MANY_CORRECTIONS');
    });

    test('attachments: PDF, JPEG or PNG by content, at most 2 MiB and three; the owner reads them, nobody else', async () => {
      const list = await call('GET', '/api/v1/me/corrections', holder);
      const id = (list.body.corrections as { id: string }[])[0]?.id;
      assert.ok(id);
      const attach = (body: Buffer, type: string) =>
        hub.app.inject({
          method: 'POST',
          url: `/api/v1/me/corrections/${id}/attachments`,
          headers: { ...bearer(holder), 'content-type': type },
          payload: body,
        });
      const text = await attach(Buffer.from('not an image at all'), 'image/png');
      assert.deepEqual([text.statusCode, text.json<Body>().error?.code], [415, 'YMT_ERR_ATTACHMENT_TYPE']);
      const big = await attach(Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]), 'image/png');
      assert.deepEqual([big.statusCode, big.json<Body>().error?.code], [413, 'YMT_ERR_ATTACHMENT_TOO_LARGE']);
      // The type is what the content is, whatever the upload says.
      const ok = await attach(PNG, 'application/octet-stream');
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal(ok.json<{ contentType: string }>().contentType, 'image/png');
      assert.equal((await attach(Buffer.from('%PDF-1.7\n'), 'application/pdf')).statusCode, 201);
      assert.equal((await attach(Buffer.from('ffd8ffe000104a464946', 'hex'), 'image/jpeg')).statusCode, 201);
      const fourth = await attach(PNG, 'image/png');
      assert.equal(fourth.json<Body>().error?.code, 'YMT_ERR_TOO_MANY_ATTACHMENTS');
      const read = await hub.app.inject({
        method: 'GET',
        url: `/api/v1/feeds/railway/corrections/${id}/attachments/1`,
        headers: bearer(token.railway ?? ''),
      });
      assert.equal(read.statusCode, 200, read.body);
      assert.deepEqual(Buffer.from(read.rawPayload), PNG);
      // Issue 17: the department's view of the correction and of its attachment are in the holder's history.
      assert.equal(
        (await call('GET', `/api/v1/feeds/railway/corrections/${id}`, token.railway ?? '')).status,
        200,
      );
      const history = await call('GET', '/api/v1/me/access-history', holder);
      const seen = (history.body.entries as { role: string; purpose: string; purposeTextEn: string }[])
        .slice(0, 2)
        .map((e) => `${e.role}:${e.purpose}`);
      assert.deepEqual(seen, ['department:correction.read', 'department:correction.attachment']);
      const stranger = await hub.app.inject({
        method: 'GET',
        url: `/api/v1/me/corrections/${id}/attachments/1`,
        headers: bearer(other),
      });
      assert.equal(stranger.statusCode, 404);
    });

    test('a department sees only its own tickets: a province’s railway department not the national one’s', async () => {
      const national = await call('GET', '/api/v1/feeds/railway/corrections', token.railway ?? '');
      assert.equal((national.body.corrections as unknown[]).length, 5);
      const gd = await call('GET', '/api/v1/feeds/railway/corrections', token.railwayGd ?? '');
      assert.deepEqual(gd.body.corrections, []);
      // Issue 17: a list (holders masked) is in no holder's history; the audit log has who listed how many.
      const listed = await hub.parts.db
        .selectFrom('audit_log')
        .select(['actor_kind', 'detail'])
        .where('action', '=', 'correction.list')
        .orderBy('seq', 'desc')
        .limit(2)
        .execute();
      assert.deepEqual(
        listed.map((e) => [
          e.actor_kind,
          (JSON.parse(e.detail ?? '{}') as { corrections: number }).corrections,
        ]),
        [
          ['department', 0],
          ['department', 5],
        ],
      );
      const history = await call('GET', '/api/v1/me/access-history', holder);
      assert.ok(
        !(history.body.entries as { purpose: string }[]).some((e) => e.purpose === 'correction.list'),
        'a list is not a look-up',
      );
      const id = (national.body.corrections as { id: string }[])[0]?.id ?? '';
      const decide = await call(
        'POST',
        `/api/v1/feeds/railway/corrections/${id}/decision`,
        token.railwayGd ?? '',
        {
          decision: 'reject',
          answer: '不是我们的',
        },
      );
      assert.equal(decide.body.error?.code, 'YMT_ERR_CORRECTION_NOT_FOUND');
      // Another source's feed path with the railway's credential is refused outright.
      const wrong = await call('GET', '/api/v1/feeds/health/corrections', token.railway ?? '');
      assert.equal(wrong.body.error?.code, 'YMT_ERR_FEED_FORBIDDEN');
    });

    test('past its deadline a ticket is escalated to the national operators, and counted in the oversight', async () => {
      const before = await call('GET', '/api/v1/console/corrections?escalated=true', token.operator ?? '');
      assert.deepEqual(before.body.corrections, []);
      const id = (
        (await call('GET', '/api/v1/feeds/railway/corrections', token.railway ?? '')).body.corrections as {
          id: string;
        }[]
      )[1]?.id;
      assert.ok(id);
      await call('POST', `/api/v1/feeds/railway/corrections/${id}/review`, token.railway ?? '');
      hub.clock.advance(25 * 3600);
      assert.deepEqual(await hub.parts.services.tickets.sweep(hub.clock.now()), { escalated: 4, closed: 0 });
      const escalated = await call('GET', '/api/v1/console/corrections?escalated=true', token.operator ?? '');
      assert.equal((escalated.body.corrections as unknown[]).length, 4, 'the one in review is due in 72 h');
      hub.clock.advance(48 * 3600);
      assert.deepEqual(await hub.parts.services.tickets.sweep(hub.clock.now()), { escalated: 1, closed: 0 });
      const figures = await call('GET', '/api/v1/console/corrections/oversight', token.operator ?? '');
      const rail = (
        figures.body.owners as {
          owner: { id: string };
          open: number;
          overdue: number;
          escalated: number;
          medianFirstAnswerSeconds: number | null;
        }[]
      ).find((o) => o.owner.id === 'department:railway');
      assert.deepEqual(
        rail && [rail.open, rail.overdue, rail.escalated, rail.medianFirstAnswerSeconds],
        [5, 5, 5, 0],
      );
      // An operator decides an escalated ticket; the department's own figures say the same.
      const decided = await call('POST', `/api/v1/console/corrections/${id}/decision`, token.operator ?? '', {
        decision: 'reject',
        answer: '运营复核：记录无误',
      });
      assert.equal(decided.body.state, 'rejected');
      const own = await call('GET', '/api/v1/feeds/railway/corrections/oversight', token.railway ?? '');
      assert.equal((own.body.owners as unknown[]).length, 1);
    });

    test('a province sees and decides only the corrections of its own findings', async () => {
      // The escalation test moved the clock past the session's life: the holder signs in again.
      other = await signIn(hub.app, OTHER);
      // Guangdong's node pushed a red for the holder, who confirmed a sign-in there.
      const docHash = hub.parts.repositories.persons.documentHash({
        type: 'id_card',
        number: OTHER.documentNumber,
        nationality: 'CHN',
      });
      await hub.parts.repositories.holders.recordHolder(hub.parts.db, '440000', docHash, hub.clock.nowMs);
      await hub.parts.services.statusDeltas.apply(
        '440000',
        [
          {
            id: 7,
            ...doc(OTHER),
            colour: 'red',
            reasonCode: 'FEVER',
            reasonText: '发热',
            reasonTextEn: 'Fever',
            changedAt: hub.clock.now().toISOString(),
          },
        ],
        hub.clock.now(),
      );
      const h = await call('GET', '/api/v1/me/health', other);
      const finding = (h.body.reasons as { evidence: { source: string } }[]).find(
        (r) => r.evidence.source === 'province:440000',
      );
      assert.ok(finding, JSON.stringify(h.body));
      const submitted = await submit(finding.evidence, other, '已退烧，省里未更新');
      assert.equal(submitted.statusCode, 201, submitted.body);
      const { id } = submitted.json<{ id: string }>();
      const bj = await call('GET', '/api/v1/console/corrections', token.bj ?? '');
      assert.deepEqual(bj.body.corrections, []);
      const bjDecides = await call('POST', `/api/v1/console/corrections/${id}/decision`, token.bj ?? '', {
        decision: 'accept',
      });
      assert.equal(bjDecides.body.error?.code, 'YMT_ERR_CORRECTION_NOT_FOUND');
      const gdConsole = await call('GET', '/api/v1/console/corrections', token.gd ?? '');
      assert.deepEqual(
        (gdConsole.body.corrections as { id: string }[]).map((c) => c.id),
        [id],
      );
      // Guangdong's node decides through the province API, signed with its access key.
      const store = new KeyStore(
        join(hub.dataDir, 'provinces', '440000', 'keys'),
        CODE_LIFETIME_SECONDS + 60,
      );
      const gdKeys = new ProvinceKeys(store, '440000');
      await hub.parts.services.provinces.enrol(gdKeys.ensure(hub.clock.now()), hub.clock.now());
      const asNode = async (method: 'GET' | 'POST', url: string, body?: object) => {
        const r = await hub.app.inject({
          method,
          url,
          headers: signRequest(
            { method, path: url, caller: '440000', body },
            gdKeys.accessSigner(),
            hub.clock.now(),
          ),
          ...(body ? { payload: body } : {}),
        });
        return { statusCode: r.statusCode, body: r.json<Body>() };
      };
      const listed = await asNode('GET', '/api/v1/federation/corrections');
      assert.equal(listed.statusCode, 200, JSON.stringify(listed.body));
      assert.deepEqual(
        (listed.body.corrections as { id: string }[]).map((c) => c.id),
        [id],
      );
      const gd = await asNode('POST', `/api/v1/federation/corrections/${id}/decision`, {
        decision: 'accept',
      });
      assert.equal(gd.body.state, 'accepted', JSON.stringify(gd.body));
      assert.equal((await call('GET', '/api/v1/me/health', other)).body.colour, 'green');
    });
  });
}
