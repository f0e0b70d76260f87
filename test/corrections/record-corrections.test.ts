/**
 * Retracting a feed record (issue 13): the owner's accepted correction withdraws what the record caused, the
 * holders' statuses change at once, their old codes stop verifying at the hub — on SQLite and PostgreSQL. A later
 * `cleared` event is not a retraction: the case's contacts stay exposed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import {
  BY,
  CLEARED_AT,
  TRIP_DATE,
  applyForCode,
  confirmed,
  doc,
  exposedDocs,
  holder,
  rejectsWith,
  send,
  statusOf,
  train,
  verify,
  type Holder,
} from './record-corrections.fixture.ts';

for (const engine of ENGINES) {
  describe(`retracting a feed record (${engine})`, () => {
    let hub: TestApp;
    before(async () => {
      hub = await startApp(engine);
    });
    after(() => hub.close());

    test("a retracted manifest row: the traveller's exposure goes, green at once, the old code refused", async () => {
      const [kase, traveller] = [await holder(hub, 1), await holder(hub, 2)];
      await send(hub, 'railway', 'rail-1', [train(kase, 'G101', 5), train(traveller, 'G101', 5, '09F')]);
      await send(hub, 'health', 'health-1', [confirmed(kase)]);
      assert.deepEqual(await statusOf(hub, traveller), { colour: 'yellow', reasons: ['CO_TRAVEL'] });
      const yellow = await applyForCode(hub, traveller);
      assert.equal(yellow.colour, 'yellow');
      assert.equal((await verify(hub, yellow.code)).valid, true);

      const outcome = await hub.parts.services.recordCorrections.retract(
        { source: 'railway', batchId: 'rail-1', record: 2 },
        BY,
        hub.clock.now(),
      );
      assert.deepEqual(outcome.withdrawn, { exposures: 1, caseTrips: 0, codes: 1 });
      assert.deepEqual(outcome.holders, [traveller.personId]);
      assert.equal(outcome.correction.action, 'retract');

      // At once: no time passes.
      assert.deepEqual(await exposedDocs(hub, [traveller]), []);
      assert.deepEqual(await statusOf(hub, traveller), { colour: 'green', reasons: ['NO_ABNORMALITY'] });
      const refused = await verify(hub, yellow.code);
      assert.equal(refused.valid, false);
      assert.equal(refused.decision, 'refuse');
      assert.equal(refused.error?.code, 'YMT_ERR_CODE_WITHDRAWN');
      assert.deepEqual(
        refused.reasons.map((r) => r.code),
        ['YMT_ERR_CODE_WITHDRAWN'],
      );
      const green = await applyForCode(hub, traveller);
      assert.equal(green.colour, 'green');
      assert.notEqual(green.codeId, yellow.codeId);
      assert.equal((await verify(hub, green.code)).decision, 'accept');
      // The case is untouched, and the original row is kept, shown as corrected.
      assert.equal((await statusOf(hub, kase)).colour, 'red');
      const [correction] = await hub.parts.services.recordCorrections.corrections({
        source: 'railway',
        batchId: 'rail-1',
        record: 2,
      });
      assert.ok(correction);
      assert.deepEqual(
        { ...correction, id: '', decidedAt: '' },
        {
          id: '',
          source: 'railway',
          batchId: 'rail-1',
          record: 2,
          action: 'retract',
          replacement: null,
          ticketId: BY.ticketId,
          decidedBy: BY.actor,
          reason: BY.reason,
          decidedAt: '',
        },
      );
      const rows = await hub.parts.db
        .selectFrom('manifests as m')
        .innerJoin('feed_batch_refs as r', 'r.ref', 'm.batch_ref')
        .select(['m.line', 'm.corrected_at'])
        .where('r.batch_id', '=', 'rail-1')
        .orderBy('m.line')
        .execute();
      assert.deepEqual(rows, [
        { line: 1, corrected_at: null },
        { line: 2, corrected_at: hub.clock.nowMs },
      ]);
    });

    test('a withdrawn code is not shown again, even when the colour stays', async () => {
      const [kase, traveller] = [await holder(hub, 3), await holder(hub, 4)];
      await send(hub, 'railway', 'rail-2', [
        train(kase, 'G102', 1),
        train(traveller, 'G102', 1, '02B'),
        train(kase, 'G103', 8),
        train(traveller, 'G103', 8, '05C'),
      ]);
      await send(hub, 'health', 'health-2', [confirmed(kase)]);
      const before = await applyForCode(hub, traveller);
      assert.equal(before.colour, 'yellow');
      await hub.parts.services.recordCorrections.retract(
        { source: 'railway', batchId: 'rail-2', record: 2 },
        BY,
        hub.clock.now(),
      );
      // Still yellow from the other train: a new yellow code, and the old one refused.
      const after = await applyForCode(hub, traveller);
      assert.equal(after.colour, 'yellow');
      assert.notEqual(after.codeId, before.codeId);
      assert.equal((await verify(hub, before.code)).error?.code, 'YMT_ERR_CODE_WITHDRAWN');
      assert.equal((await verify(hub, after.code)).valid, true);
    });

    test("a retracted case record turns every co-traveller green (train, flight, inbound); a later 'cleared' event does not", async () => {
      const [wrong, t1, t2, t3] = [
        await holder(hub, 10),
        await holder(hub, 11),
        await holder(hub, 12),
        await holder(hub, 13),
      ];
      const [real, c1, c2] = [await holder(hub, 20), await holder(hub, 21), await holder(hub, 22)];
      await send(hub, 'railway', 'rail-3', [
        train(wrong, 'G201', 3),
        train(t1, 'G201', 3, '10D'),
        train(real, 'G301', 6),
        train(c1, 'G301', 6, '11A'),
      ]);
      await send(hub, 'aviation', 'air-3', [
        { ...doc(wrong), flightNo: 'MU5201', date: TRIP_DATE, seat: '23C' },
        { ...doc(t2), flightNo: 'MU5201', date: TRIP_DATE, seat: '25A' },
      ]);
      await send(hub, 'immigration', 'nia-3', [
        { ...doc(wrong), flightNo: 'CA901', date: TRIP_DATE, port: 'PEK' },
        { ...doc(t3), flightNo: 'CA901', date: TRIP_DATE, port: 'PEK' },
        { ...doc(real), flightNo: 'CA902', date: TRIP_DATE, port: 'PVG' },
        { ...doc(c2), flightNo: 'CA902', date: TRIP_DATE, port: 'PVG' },
      ]);
      await send(hub, 'health', 'health-3', [confirmed(wrong), confirmed(real)]);
      for (const h of [t1, t2, t3, c1, c2]) assert.equal((await statusOf(hub, h)).colour, 'yellow', h.name);
      assert.equal((await statusOf(hub, wrong)).colour, 'red');
      const codes = await Promise.all([t1, t2, t3, wrong].map((h) => applyForCode(hub, h)));

      const outcome = await hub.parts.services.recordCorrections.retract(
        { source: 'health', batchId: 'health-3', record: 1 },
        {
          ticketId: null,
          actor: 'department:health',
          reason: '检测样本错配',
          who: { actorKind: 'department', actorRef: 'health' },
        },
        hub.clock.now(),
      );
      assert.equal(outcome.withdrawn.exposures, 3);
      assert.equal(outcome.withdrawn.caseTrips, 3);
      assert.equal(outcome.withdrawn.codes, 4);
      assert.deepEqual([...outcome.holders].sort(), [wrong, t1, t2, t3].map((h) => h.personId).sort());
      for (const h of [wrong, t1, t2, t3]) assert.equal((await statusOf(hub, h)).colour, 'green', h.name);
      for (const c of codes) assert.equal((await verify(hub, c.code)).error?.code, 'YMT_ERR_CODE_WITHDRAWN');
      // The other case's contacts are untouched.
      assert.deepEqual(await exposedDocs(hub, [t1, t2, t3, c1, c2]), [c1.name, c2.name]);

      // The real case is cleared later: cleared, not wrong — its contacts were exposed and stay so.
      const c1Code = await applyForCode(hub, c1);
      await send(hub, 'health', 'health-3-cleared', [{ ...doc(real), status: 'cleared', at: CLEARED_AT }]);
      assert.equal((await statusOf(hub, real)).colour, 'green');
      for (const h of [c1, c2])
        assert.deepEqual(await statusOf(hub, h), {
          colour: 'yellow',
          reasons: h === c1 ? ['CO_TRAVEL'] : ['INBOUND_CO_PASSENGER'],
        });
      assert.deepEqual(await exposedDocs(hub, [c1, c2]), [c1.name, c2.name]);
      assert.equal((await verify(hub, c1Code.code)).valid, true);
    });

    test("a case's own manifest row retracted: the exposures it caused through that trip go", async () => {
      const [kase, contact, other] = [await holder(hub, 30), await holder(hub, 31), await holder(hub, 32)];
      await send(hub, 'railway', 'rail-4', [
        train(kase, 'G401', 2),
        train(contact, 'G401', 2, '03A'),
        train(kase, 'G402', 4),
        train(other, 'G402', 4, '07F'),
      ]);
      await send(hub, 'health', 'health-4', [confirmed(kase)]);
      assert.deepEqual(await exposedDocs(hub, [contact, other]), [contact.name, other.name]);
      const outcome = await hub.parts.services.recordCorrections.retract(
        { source: 'railway', batchId: 'rail-4', record: 1 },
        BY,
        hub.clock.now(),
      );
      assert.deepEqual(
        { exposures: outcome.withdrawn.exposures, caseTrips: outcome.withdrawn.caseTrips },
        { exposures: 1, caseTrips: 1 },
      );
      assert.equal((await statusOf(hub, contact)).colour, 'green');
      // The case was still on the other train, and still is a case.
      assert.equal((await statusOf(hub, other)).colour, 'yellow');
      assert.equal((await statusOf(hub, kase)).colour, 'red');
    });

    test("a retracted telecom stay and a retracted area's risk level are no longer evidence", async () => {
      const [h1, h2] = [await holder(hub, 40), await holder(hub, 41)];
      await send(hub, 'area-risk', 'risk-5', [
        {
          areaCode: '110000',
          level: 'high',
          from: '2026-11-20T00:00:00+08:00',
          to: '2026-12-04T00:00:00+08:00',
        },
      ]);
      const stay = (h: Holder) => ({
        phone: h.phone,
        cityCode: '110105',
        firstSeen: '2026-11-24T09:00:00+08:00',
        lastSeen: '2026-11-24T18:00:00+08:00',
      });
      await send(hub, 'telecom', 'tel-5', [stay(h1), stay(h2)]);
      for (const h of [h1, h2])
        assert.deepEqual(await statusOf(hub, h), { colour: 'yellow', reasons: ['RISK_AREA_VISIT'] });
      const h2Code = await applyForCode(hub, h2);

      const telecom = await hub.parts.services.recordCorrections.retract(
        { source: 'telecom', batchId: 'tel-5', record: 1 },
        {
          ticketId: null,
          actor: 'department:telecom',
          reason: '号码已转让',
          who: { actorKind: 'department', actorRef: 'telecom' },
        },
        hub.clock.now(),
      );
      assert.deepEqual(telecom.holders, [h1.personId]);
      assert.equal((await statusOf(hub, h1)).colour, 'green');
      assert.equal((await statusOf(hub, h2)).colour, 'yellow');

      const area = await hub.parts.services.recordCorrections.retract(
        { source: 'area-risk', batchId: 'risk-5', record: 1 },
        {
          ticketId: null,
          actor: 'operator:o_1',
          reason: '误将全市列为高风险',
          who: { actorKind: 'operator', actorRef: 'o_1' },
        },
        hub.clock.now(),
      );
      assert.equal(area.everyone, true);
      assert.deepEqual(area.holders, [h2.personId], 'the holders with a live code who stayed there');
      assert.equal((await statusOf(hub, h2)).colour, 'green');
      assert.equal((await verify(hub, h2Code.code)).error?.code, 'YMT_ERR_CODE_WITHDRAWN');
      const levels = await hub.parts.services.areaRisk.list(hub.clock.now());
      assert.ok(!levels.some((l) => l.batchId === 'risk-5'), 'not listed as in force');
    });

    test('a record corrected twice, or unknown, is refused', async () => {
      const t = await holder(hub, 50);
      await send(hub, 'railway', 'rail-6', [train(t, 'G601', 1)]);
      const ref = { source: 'railway' as const, batchId: 'rail-6', record: 1 };
      await hub.parts.services.recordCorrections.retract(ref, BY, hub.clock.now());
      await rejectsWith(
        hub.parts.services.recordCorrections.retract(ref, BY, hub.clock.now()),
        'YMT_ERR_RECORD_ALREADY_CORRECTED',
      );
      await rejectsWith(
        hub.parts.services.recordCorrections.amend(ref, train(t, 'G601', 2), BY, hub.clock.now()),
        'YMT_ERR_RECORD_ALREADY_CORRECTED',
      );
      assert.equal((await hub.parts.services.recordCorrections.corrections(ref)).length, 1);
      for (const missing of [
        { ...ref, record: 2 },
        { ...ref, batchId: 'no-such-batch' },
        { ...ref, source: 'aviation' as const },
        { source: 'health' as const, batchId: 'rail-6', record: 1 },
        { ...ref, record: 0 },
      ]) {
        await rejectsWith(
          hub.parts.services.recordCorrections.retract(missing, BY, hub.clock.now()),
          'YMT_ERR_RECORD_NOT_FOUND',
        );
      }
      await rejectsWith(
        hub.parts.services.recordCorrections.retract(
          { ...ref, record: 2 },
          { ...BY, reason: ' ' },
          hub.clock.now(),
        ),
        'YMT_ERR_VALIDATION',
      );
    });
  });
}
