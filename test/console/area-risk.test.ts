/**
 * The console's area risk section (inject, SQLite and PostgreSQL): an operator's entry goes through the feed
 * ingestion and turns a holder who stayed there yellow; an entry ended early or withdrawn stays as published while
 * statuses follow; bad input is refused with codes and writes nothing. Each test works on its own area.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENGINES } from '../helpers/context.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { ALICE, bearer, declaredHolder, idNumber } from '../helpers/people.ts';
import { useConsole } from './console-fixture.ts';

for (const engine of ENGINES) {
  describe(`console: area risk (${engine})`, () => {
    const c = useConsole(engine);
    const { ok, fails } = c;

    test("an operator's area risk entry goes through the feed ingestion and turns a holder who stayed there yellow", async () => {
      c.hub.clock.advance(60);
      const alice = await declaredHolder(c.hub, ALICE);
      await sendFeed(c.hub, 'telecom', 'tel-1', [
        {
          phone: ALICE.phone,
          cityCode: '420100',
          firstSeen: '2026-11-20T08:00:00+08:00',
          lastSeen: '2026-11-20T13:00:00+08:00',
        },
      ]);
      const health = async () =>
        (await c.hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(alice) })).json<{
          colour: string;
          reasons: { code: string; evidence: { source: string } }[];
        }>();
      assert.equal((await health()).colour, 'green');

      const set = await ok<{ batchId: string; accepted: number }>('operator', 'POST', '/area-risk', {
        areaCode: '420100',
        level: 'high',
        validFrom: '2026-11-19T00:00:00+08:00',
        validTo: '2026-12-05T00:00:00+08:00',
      });
      assert.match(set.batchId, /^console-\d+-[0-9a-f]{8}$/);
      assert.equal(set.accepted, 1);
      // The snapshot taken a moment ago was dropped, as a department's batch drops it.
      const after = await health();
      assert.equal(after.colour, 'yellow');
      assert.deepEqual(
        after.reasons.map((r) => [r.code, r.evidence.source]),
        [['RISK_AREA_VISIT', 'telecom']],
      );
      const code = await c.hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(alice) });
      assert.equal(code.json<{ colour: string }>().colour, 'yellow');

      // Provenance: an area-risk batch of its own, national, the account's name as the authority.
      const { areas } = await ok<{ areas: Record<string, unknown>[] }>('operator', 'GET', '/area-risk');
      assert.deepEqual(areas, [
        {
          areaCode: '420100',
          areaName: '武汉市',
          level: 'high',
          validFrom: '2026-11-18T16:00:00.000Z',
          validTo: '2026-12-04T16:00:00.000Z',
          authority: '国家运营值班',
          batchId: set.batchId,
          line: 1,
          inForce: true,
          ended: null,
        },
      ]);
      const { batches } = await ok<{ batches: { batchId: string; province: string | null }[] }>(
        'operator',
        'GET',
        '/batches?source=area-risk',
      );
      assert.deepEqual(
        batches.filter((b) => b.batchId === set.batchId).map((b) => [b.batchId, b.province]),
        [[set.batchId, null]],
      );

      // A future entry is listed, not in force; one that has ended is not listed.
      await ok('operator', 'POST', '/area-risk', {
        areaCode: '110105',
        level: 'medium',
        validFrom: '2026-12-01T00:00:00+08:00',
        validTo: '2026-12-08T00:00:00+08:00',
        authority: '北京市朝阳区',
      });
      await ok('operator', 'POST', '/area-risk', {
        areaCode: '310000',
        level: 'low',
        validFrom: '2026-11-01T00:00:00+08:00',
        validTo: '2026-11-10T00:00:00+08:00',
      });
      const listed = (
        await ok<{ areas: { areaCode: string; inForce: boolean }[] }>('operator', 'GET', '/area-risk')
      ).areas;
      assert.deepEqual(
        listed.map((a) => [a.areaCode, a.inForce]),
        [
          ['420100', true],
          ['110105', false],
        ],
      );
    });

    test('an operator ends an entry early or withdraws it; the entry stays, statuses follow', async () => {
      c.hub.clock.advance(60);
      const carol = {
        documentType: 'id_card' as const,
        documentNumber: idNumber('43010219920315222'),
        name: '王五',
        phone: '13612345678',
      };
      const holder = await declaredHolder(c.hub, carol);
      await sendFeed(c.hub, 'telecom', 'tel-end', [
        {
          phone: carol.phone,
          cityCode: '430100',
          firstSeen: '2026-11-20T08:00:00+08:00',
          lastSeen: '2026-11-20T13:00:00+08:00',
        },
      ]);
      const colour = async () =>
        (await c.hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(holder) })).json<{
          colour: string;
        }>().colour;
      const set = await ok<{ batchId: string }>('operator', 'POST', '/area-risk', {
        areaCode: '430100',
        level: 'high',
        validFrom: '2026-11-19T00:00:00+08:00',
        validTo: '2026-12-05T00:00:00+08:00',
      });
      assert.equal(await colour(), 'yellow');
      const path = `/area-risk/${set.batchId}/1/end`;

      // Ended now (after the holder's stay): the stay still counts, the entry is listed with its new end.
      const ended = await ok<{ endsAt: string; withdrawn: boolean }>('operator', 'POST', path, {
        reason: '风险等级下调',
      });
      assert.equal(ended.endsAt, c.hub.clock.now().toISOString());
      assert.equal(ended.withdrawn, false);
      assert.equal(await colour(), 'yellow');
      const listed = (await ok<{ areas: { batchId: string }[] }>('operator', 'GET', '/area-risk')).areas;
      assert.ok(!listed.some((a) => a.batchId === set.batchId), 'an entry that has ended is not listed');
      // An end only comes forward.
      const later = await fails('operator', 'POST', path, 409, 'YMT_ERR_AREA_RISK_ALREADY_ENDED', {
        endsAt: '2026-12-01T00:00:00+08:00',
        reason: '再次结束',
      });
      assert.equal(later.error.details?.[0]?.field, 'endsAt');

      // Withdrawn (ended at or before its start): it never counted; the holder is green again.
      const withdrawn = await ok<{ endsAt: string; withdrawn: boolean }>('operator', 'POST', path, {
        endsAt: '2026-11-01T00:00:00+08:00',
        reason: '误发布，撤销',
      });
      assert.equal(withdrawn.withdrawn, true);
      assert.equal(withdrawn.endsAt, '2026-11-18T16:00:00.000Z');
      assert.equal(await colour(), 'green');
      // The entry itself is kept as published, with who ended it and why beside it.
      const kept = await c.hub.parts.db
        .selectFrom('area_risk_levels as a')
        .innerJoin('area_risk_ends as x', (j) =>
          j.onRef('x.batch_id', '=', 'a.batch_id').onRef('x.line', '=', 'a.line'),
        )
        .select(['a.level', 'a.valid_to', 'x.ended_by', 'x.reason'])
        .where('a.batch_id', '=', set.batchId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(kept, {
        level: 'high',
        valid_to: Date.parse('2026-12-05T00:00:00+08:00'),
        ended_by: '国家运营值班',
        reason: '误发布，撤销',
      });

      // A scheduled entry withdrawn before it starts is no longer listed either.
      const future = await ok<{ batchId: string }>('operator', 'POST', '/area-risk', {
        areaCode: '430200',
        level: 'medium',
        validFrom: '2026-12-10T00:00:00+08:00',
        validTo: '2026-12-20T00:00:00+08:00',
      });
      const scheduled = async () =>
        (await ok<{ areas: { batchId: string }[] }>('operator', 'GET', '/area-risk')).areas.some(
          (a) => a.batchId === future.batchId,
        );
      assert.equal(await scheduled(), true);
      await ok('operator', 'POST', `/area-risk/${future.batchId}/1/end`, { reason: '取消' });
      assert.equal(await scheduled(), false);

      await fails('operator', 'POST', `/area-risk/${set.batchId}/2/end`, 404, 'YMT_ERR_NOT_FOUND', {
        reason: 'x',
      });
      await fails('operator', 'POST', path, 400, 'YMT_ERR_FEED_DATE', { endsAt: '2026-11-30', reason: 'x' });
      await fails('operator', 'POST', path, 400, 'YMT_ERR_VALIDATION', { reason: '' });
      await fails('bj', 'POST', path, 403, 'YMT_ERR_CONSOLE_FORBIDDEN', { reason: 'x' });
    });

    test('area risk input is validated with codes, and nothing is written', async () => {
      const base = {
        areaCode: '420100',
        level: 'high',
        validFrom: '2026-11-19T00:00:00+08:00',
        validTo: '2026-11-29T00:00:00+08:00',
      };
      const count = async () =>
        (await ok<{ batches: unknown[] }>('operator', 'GET', '/batches?source=area-risk&limit=500')).batches
          .length;
      const before = await count();
      const cases: [object, string, string][] = [
        [{ ...base, areaCode: '999999' }, 'YMT_ERR_REGION_UNKNOWN', 'areaCode'],
        [{ ...base, level: 'extreme' }, 'YMT_ERR_VALIDATION', 'level'],
        [{ ...base, validTo: base.validFrom }, 'YMT_ERR_FEED_TIME_ORDER', 'validTo'],
        [{ ...base, validTo: '2026-11-18T00:00:00+08:00' }, 'YMT_ERR_FEED_TIME_ORDER', 'validTo'],
        [{ ...base, validFrom: '2026-11-19 00:00' }, 'YMT_ERR_FEED_DATE', 'validFrom'],
        [{ ...base, authority: '' }, 'YMT_ERR_VALIDATION', 'authority'],
        [{ ...base, colour: 'red' }, 'YMT_ERR_VALIDATION', 'colour'],
      ];
      for (const [payload, code, field] of cases) {
        const body = await fails('operator', 'POST', '/area-risk', 400, code, payload);
        assert.deepEqual(
          [...new Set(body.error.details?.map((d) => d.field))],
          [field],
          JSON.stringify(payload),
        );
      }
      assert.equal(await count(), before);
    });
  });
}
