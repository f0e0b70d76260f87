/**
 * 我要纠错 end to end (issue 13), through the real app on SQLite and PostgreSQL: a railway batch puts 张伟 in the
 * carriage of a health-batch case and he turns yellow; he disputes his manifest row, the railway accepts with its
 * feed credential, the row is retracted — he is green at once, and his old yellow code no longer verifies at the hub.
 * The case disputes the health record itself: the health department retracts it and every co-traveller turns green,
 * while a cleared case leaves its contacts as they were. A rejection carries an answer; a ticket is reopened once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { bearer, declaredHolder, doc, person } from '../helpers/people.ts';

const ZHANG = person('张伟', '44030519880202121', '13900000001');
const LI = person('李娜', '44030519900303222', '13900000002');
const CASE = person('王强', '44030519850404313', '13900000003');
const CASE2 = person('赵敏', '44030519870505424', '13900000004');
const SUN = person('孙丽', '44030519920606525', '13900000005');

interface Reason {
  code: string;
  colour: string;
  evidence: { source: string; batchId: string; record: number };
}

for (const engine of ENGINES) {
  describe(`corrections end to end (${engine})`, () => {
    let hub: TestApp;
    const tokens: Record<string, string> = {};
    let railway: string;
    let health: string;

    before(async () => {
      hub = await startApp(engine);
      for (const p of [ZHANG, LI, CASE, CASE2, SUN]) tokens[p.name] = await declaredHolder(hub, p);
      const now = hub.clock.now();
      railway = (await hub.parts.services.departments.create('国铁集团', 'railway', null, now)).token;
      health = (await hub.parts.services.departments.create('国家卫健委', 'health', null, now)).token;
      await sendFeed(hub, 'railway', 'rail-1', [
        { ...doc(CASE), trainNo: 'G123', date: '2026-11-25', carriage: 5, seat: '01A' },
        { ...doc(ZHANG), trainNo: 'G123', date: '2026-11-25', carriage: 5, seat: '02A' },
        { ...doc(LI), trainNo: 'G123', date: '2026-11-25', carriage: 5, seat: '03A' },
        { ...doc(CASE2), trainNo: 'D7', date: '2026-11-25', carriage: 2, seat: '01A' },
        { ...doc(SUN), trainNo: 'D7', date: '2026-11-25', carriage: 2, seat: '02A' },
      ]);
      await sendFeed(hub, 'health', 'case-1', [
        { ...doc(CASE), status: 'confirmed', at: '2026-11-26T08:00:00+08:00' },
        { ...doc(CASE2), status: 'confirmed', at: '2026-11-26T09:00:00+08:00' },
      ]);
    });
    after(() => hub.close());

    const as = (who: typeof ZHANG) => bearer(tokens[who.name] ?? '');
    const health_ = async (who: typeof ZHANG) => {
      const r = await hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: as(who) });
      assert.equal(r.statusCode, 200, r.body);
      return r.json<{ colour: string; reasons: Reason[] }>();
    };
    const code = async (who: typeof ZHANG) => {
      const r = await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: as(who) });
      assert.equal(r.statusCode, 200, r.body);
      return r.json<{ code: string; colour: string }>();
    };
    const dispute = (who: typeof ZHANG, evidence: Reason['evidence'], text = '我没有乘坐这趟车') =>
      hub.app.inject({
        method: 'POST',
        url: '/api/v1/me/corrections',
        headers: as(who),
        payload: { evidence, kind: 'not_me', text },
      });
    const asDepartment = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      hub.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

    test('the co-traveller disputes his manifest row; the railway accepts; he is green at once and his old code is refused', async () => {
      const before = await health_(ZHANG);
      assert.equal(before.colour, 'yellow');
      const coTravel = before.reasons.find((r) => r.evidence.source === 'railway');
      assert.ok(coTravel, JSON.stringify(before.reasons));
      const old = await code(ZHANG);
      assert.equal(old.colour, 'yellow');

      const submitted = await dispute(ZHANG, coTravel.evidence);
      assert.equal(submitted.statusCode, 201, submitted.body);
      const s = submitted.json<{
        id: string;
        state: string;
        owner: { id: string; name: string };
        dueAt: string;
      }>();
      assert.deepEqual([s.state, s.owner.id], ['routed', 'department:railway']);
      assert.equal(Date.parse(s.dueAt), hub.clock.nowMs + 24 * 3600_000);

      // The railway's queue, with its feed credential: the holder masked; the health department sees nothing of it.
      const queue = await asDepartment(railway, 'GET', '/api/v1/feeds/railway/corrections');
      assert.equal(queue.statusCode, 200, queue.body);
      const listed = queue.json<{ corrections: { id: string; holder: { name: string } }[] }>().corrections;
      assert.deepEqual(
        listed.map((c) => [c.id, c.holder.name]),
        [[s.id, '张*']],
      );
      const other = await asDepartment(health, 'GET', '/api/v1/feeds/health/corrections');
      assert.deepEqual(other.json<{ corrections: unknown[] }>().corrections, []);
      const peek = await asDepartment(health, 'POST', `/api/v1/feeds/health/corrections/${s.id}/decision`, {
        decision: 'accept',
      });
      assert.equal(peek.json<{ error: { code: string } }>().error.code, 'YMT_ERR_CORRECTION_NOT_FOUND');

      // He holds a sign-in at Guangdong's node: the change must reach it (docs/federation.md, the exchange).
      const persons = hub.parts.repositories.persons;
      const zhangDoc = { type: 'id_card' as const, number: ZHANG.documentNumber, nationality: 'CHN' };
      const zhang = await persons.findByDocument(hub.parts.db, zhangDoc);
      assert.ok(zhang);
      const zhangHash = persons.documentHash(zhangDoc);
      await hub.parts.repositories.holders.recordHolder(hub.parts.db, '440000', zhangHash, hub.clock.nowMs);
      await hub.parts.db.deleteFrom('status_dirty').execute();

      const accepted = await asDepartment(
        railway,
        'POST',
        `/api/v1/feeds/railway/corrections/${s.id}/decision`,
        {
          decision: 'accept',
          answer: '经核查，该乘车记录登记有误，已撤销',
        },
      );
      assert.equal(accepted.statusCode, 200, accepted.body);
      assert.equal(accepted.json<{ state: string }>().state, 'accepted');

      // At once: green, the old yellow code refused at the hub, a new code green.
      assert.equal((await health_(ZHANG)).colour, 'green');
      const verified = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/verify',
        payload: { code: old.code },
      });
      assert.deepEqual(
        [
          verified.json<{ valid: boolean }>().valid,
          verified.json<{ error?: { code: string } }>().error?.code,
        ],
        [false, 'YMT_ERR_CODE_WITHDRAWN'],
      );
      assert.equal((await code(ZHANG)).colour, 'green');
      const marked = await hub.parts.db.selectFrom('status_dirty').select('person_id').execute();
      assert.ok(
        marked.some((m) => m.person_id === zhang.personId),
        'the holder is marked for the exchange',
      );

      // The holder reads the answer and every step; each change was queued for a notification.
      const mine = await hub.app.inject({
        method: 'GET',
        url: `/api/v1/me/corrections/${s.id}`,
        headers: as(ZHANG),
      });
      const c = mine.json<{
        state: string;
        answer: string;
        history: { to: string }[];
        corrected: { action: string; record: unknown; replacement: unknown }[];
      }>();
      // The original stays, shown as corrected by this ticket.
      assert.deepEqual(
        c.corrected.map((r) => [r.action, r.record, r.replacement]),
        [['retract', coTravel.evidence, null]],
      );
      assert.equal(c.state, 'accepted');
      assert.equal(c.answer, '经核查，该乘车记录登记有误，已撤销');
      assert.deepEqual(
        c.history.map((h) => h.to),
        ['submitted', 'routed', 'in_review', 'accepted'],
      );
      const notified = await hub.parts.db
        .selectFrom('holder_notifications')
        .select('state')
        .where('ticket_id', '=', s.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        notified.map((n) => n.state),
        ['routed', 'in_review', 'accepted'],
      );
      // The shipped channel writes them to the log, once each, naming the ticket and never the holder.
      const lines: string[] = [];
      const log = (line: string) => lines.push(line);
      await hub.parts.services.notifications.deliver(hub.clock.now(), log);
      await hub.parts.services.notifications.deliver(hub.clock.now(), log);
      const mineLines = lines.filter((l) => l.includes(s.id));
      assert.equal(mineLines.length, 3, lines.join('\n'));
      assert.ok(mineLines.every((l) => !l.includes(ZHANG.name) && !l.includes(ZHANG.documentNumber)));
    });

    test('the case record was wrong: the health department retracts it and every co-traveller turns green; a cleared case does not', async () => {
      assert.equal((await health_(LI)).colour, 'yellow');
      assert.equal((await health_(SUN)).colour, 'yellow');
      // The second case is cleared: its contacts were exposed all the same.
      await sendFeed(hub, 'health', 'case-2', [
        { ...doc(CASE2), status: 'cleared', at: '2026-11-27T08:00:00+08:00' },
      ]);

      const caseReason = (await health_(CASE)).reasons.find((r) => r.evidence.source === 'health');
      assert.ok(caseReason);
      const submitted = await dispute(CASE, caseReason.evidence, '检测机构把别人的结果登记到了我的名下');
      assert.equal(submitted.statusCode, 201, submitted.body);
      const { id, owner } = submitted.json<{ id: string; owner: { id: string } }>();
      assert.equal(owner.id, 'department:health');
      const decided = await asDepartment(health, 'POST', `/api/v1/feeds/health/corrections/${id}/decision`, {
        decision: 'accept',
        answer: '该检测结果系错录，已撤销',
      });
      assert.equal(decided.statusCode, 200, decided.body);

      assert.equal((await health_(CASE)).colour, 'green');
      assert.equal((await health_(LI)).colour, 'green', 'a co-traveller of the retracted case');
      assert.equal((await health_(SUN)).colour, 'yellow', 'a co-traveller of the cleared case');
    });

    test('a rejection needs an answer, which the holder reads; a ticket is reopened once', async () => {
      const reason = (await health_(SUN)).reasons.find((r) => r.evidence.source === 'railway');
      assert.ok(reason);
      const { id } = (await dispute(SUN, reason.evidence)).json<{ id: string }>();
      const url = `/api/v1/feeds/railway/corrections/${id}/decision`;
      const bare = await asDepartment(railway, 'POST', url, { decision: 'reject' });
      assert.equal(bare.json<{ error: { code: string } }>().error.code, 'YMT_ERR_VALIDATION');
      const rejected = await asDepartment(railway, 'POST', url, {
        decision: 'reject',
        answer: '乘车记录与购票实名信息一致',
      });
      assert.equal(rejected.json<{ state: string }>().state, 'rejected');
      const list = await hub.app.inject({ method: 'GET', url: '/api/v1/me/corrections', headers: as(SUN) });
      const mine = list.json<{ corrections: { id: string; answer?: string; reopenable: boolean }[] }>()
        .corrections;
      assert.deepEqual(
        mine.map((c) => [c.id, c.answer, c.reopenable]),
        [[id, '乘车记录与购票实名信息一致', true]],
      );
      const reopen = (text: string) =>
        hub.app.inject({
          method: 'POST',
          url: `/api/v1/me/corrections/${id}/reopen`,
          headers: as(SUN),
          payload: { text },
        });
      const reopened = await reopen('我当天在外地，有酒店入住记录');
      assert.equal(reopened.json<{ state: string }>().state, 'routed');
      await asDepartment(railway, 'POST', url, { decision: 'reject', answer: '复核后维持原结论' });
      const again = await reopen('再次申请');
      assert.equal(again.json<{ error: { code: string } }>().error.code, 'YMT_ERR_CORRECTION_REOPENED');
    });
  });
}
