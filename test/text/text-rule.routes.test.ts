/**
 * Hardened edges (issue 17) through the real app (inject), on SQLite and PostgreSQL: what the attack run on main
 * found — U+0000 answered 500 on PostgreSQL, invisible characters shown to operators, implausible dates, an
 * ignored nationality, a duplicate CSV header — each refused with its code, and one bad record of a batch never
 * failing the others.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENGINES } from '../helpers/context.ts';
import { ALICE } from '../helpers/people.ts';
import { openReports, useConsole, type ErrorBody } from '../console/console-fixture.ts';

interface Report {
  accepted: number;
  rejected: { line: number; code: string; field: string }[];
}

const health = (over: Record<string, unknown> = {}) => ({
  documentType: 'id_card',
  documentNumber: ALICE.documentNumber,
  status: 'suspected',
  at: '2026-11-20T08:00:00+08:00',
  ...over,
});

for (const engine of ENGINES) {
  describe(`the text rule, plausible dates and feed headers (${engine})`, () => {
    const token: Record<string, string> = {};
    let bjTicket = '';
    const c = useConsole(engine, async (c) => {
      const { departments } = c.hub.parts.services;
      const now = c.hub.clock.now();
      for (const source of ['health', 'telecom', 'area-risk'] as const)
        token[source] = (await departments.create(`部门 ${source}`, source, null, now)).token;
      token.railway = c.token.railway ?? '';
      ({ bjTicket } = await openReports(c));
    });

    const send = (source: string, batchId: string, body: string, type = 'application/x-ndjson') =>
      c.hub.app.inject({
        method: 'POST',
        url: `/api/v1/feeds/${source}/batches?batchId=${batchId}`,
        headers: { 'content-type': type, authorization: `Bearer ${token[source] ?? ''}` },
        payload: body,
      });
    const lines = (...records: object[]) => records.map((r) => JSON.stringify(r)).join('\n');

    test('a health record with an unknown field name holding U+0000 is quarantined alone; the batch lands, once', async () => {
      const body = lines({ ...health(), 'x\u0000y': 1 }, health({ status: 'confirmed' }));
      const res = await send('health', 'nul-1', body);
      assert.equal(res.statusCode, 201, res.body);
      const r = res.json<Report>();
      assert.equal(r.accepted, 1);
      assert.deepEqual(r.rejected, [{ line: 1, code: 'YMT_ERR_TEXT_CONTROL', field: 'x\\u0000y' }]);
      // Sent again, it is the same batch (not a failure for ever).
      const again = await send('health', 'nul-1', body);
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json<Report>().accepted, 1);
    });

    test('feed strings: U+0000, RLO, ZWSP and lone surrogates are refused record by record', async () => {
      const body = [
        JSON.stringify(health({ documentNumber: `${ALICE.documentNumber}\u0000` })),
        JSON.stringify(health({ status: 'confirmed\u202E' })),
        JSON.stringify(health({ nationality: 'CH\u200BN' })),
        // A lone surrogate, as JSON allows it to be written.
        JSON.stringify(health()).replace('"suspected"', '"sus\\ud800pected"'),
        JSON.stringify(health()),
      ].join('\n');
      const res = await send('health', 'text-1', body);
      assert.equal(res.statusCode, 201, res.body);
      const r = res.json<Report>();
      assert.equal(r.accepted, 1);
      assert.deepEqual(
        r.rejected.map((x) => [x.line, x.code, x.field]),
        [
          [1, 'YMT_ERR_TEXT_CONTROL', 'documentNumber'],
          [2, 'YMT_ERR_TEXT_INVISIBLE', 'status'],
          [3, 'YMT_ERR_TEXT_INVISIBLE', 'nationality'],
          [4, 'YMT_ERR_TEXT_ENCODING', 'status'],
        ],
      );
      const area = {
        areaCode: '420100',
        level: 'high',
        from: '2026-11-19T00:00:00+08:00',
        to: '2026-12-05T00:00:00+08:00',
      };
      const risk = await send(
        'area-risk',
        'risk-1',
        lines({ ...area, authority: '卫健委\u0000' }, { ...area, authority: '\u202E委健卫' }, area),
      );
      assert.equal(risk.statusCode, 201, risk.body);
      assert.deepEqual(
        risk.json<Report>().rejected.map((x) => [x.line, x.code, x.field]),
        [
          [1, 'YMT_ERR_TEXT_CONTROL', 'authority'],
          [2, 'YMT_ERR_TEXT_INVISIBLE', 'authority'],
        ],
      );
    });

    test('implausible dates: year 0001 and 0000, telecom stays from 1026, trips in 2099', async () => {
      const h = await send(
        'health',
        'dates-1',
        lines(health({ at: '0001-01-01T00:00:00Z' }), health({ at: '0000-01-01T00:00:00Z' }), health()),
      );
      assert.deepEqual(
        h.json<Report>().rejected.map((x) => [x.line, x.code, x.field]),
        [
          [1, 'YMT_ERR_DATE_IMPLAUSIBLE', 'at'],
          [2, 'YMT_ERR_DATE_IMPLAUSIBLE', 'at'],
        ],
      );
      const stay = {
        phone: ALICE.phone,
        cityCode: '440300',
        firstSeen: '1026-11-20T08:00:00+08:00',
        lastSeen: '2026-11-20T12:00:00+08:00',
      };
      const t = await send('telecom', 'dates-2', lines(stay));
      assert.deepEqual(
        t.json<Report>().rejected.map((x) => [x.code, x.field]),
        [['YMT_ERR_DATE_IMPLAUSIBLE', 'firstSeen']],
      );
      const trip = (date: string) => ({
        documentType: 'id_card',
        documentNumber: ALICE.documentNumber,
        trainNo: 'G123',
        date,
        carriage: 5,
        seat: '01A',
      });
      const r = await send('railway', 'dates-3', lines(trip('2099-11-20'), trip('2026-11-20')));
      assert.equal(r.statusCode, 201, r.body);
      const report = r.json<Report>();
      assert.equal(report.accepted, 1);
      assert.deepEqual(
        report.rejected.map((x) => [x.code, x.field]),
        [['YMT_ERR_DATE_IMPLAUSIBLE', 'date']],
      );
    });

    test('a nationality beside an ID number must be ISO 3166-1 alpha-3: "XXX" is refused, not ignored', async () => {
      const res = await send(
        'health',
        'nat-1',
        lines(health({ nationality: 'XXX' }), health({ nationality: 'CHN' })),
      );
      const r = res.json<Report>();
      assert.equal(r.accepted, 1);
      assert.deepEqual(
        r.rejected.map((x) => [x.code, x.field]),
        [['YMT_ERR_NATIONALITY', 'nationality']],
      );
    });

    test('a CSV header naming a column twice refuses the batch; nothing of it is published', async () => {
      const csv = [
        'documentType,documentNumber,status,at,status',
        `id_card,${ALICE.documentNumber},suspected,2026-11-20T08:00:00+08:00,confirmed`,
      ].join('\n');
      const res = await send('health', 'dup-1', csv, 'text/csv');
      assert.equal(res.statusCode, 400, res.body);
      const body = res.json<ErrorBody>();
      assert.equal(body.error.code, 'YMT_ERR_FEED_DUPLICATE_HEADER');
      assert.deepEqual(
        body.error.details?.map((d) => d.field),
        ['status'],
      );
      const report = await c.hub.app.inject({
        method: 'GET',
        url: '/api/v1/feeds/health/batches/dup-1',
        headers: { authorization: `Bearer ${token.health ?? ''}` },
      });
      assert.equal(report.statusCode, 404);
    });

    test('the console: U+0000, RLO, ZWSP and lone surrogates in an area risk entry are 400 with their code', async () => {
      const entry = {
        areaCode: '420100',
        level: 'high',
        validFrom: '2026-11-19T00:00:00+08:00',
        validTo: '2026-12-05T00:00:00+08:00',
      };
      for (const [authority, code] of [
        ['卫健委\u0000', 'YMT_ERR_TEXT_CONTROL'],
        ['\u202E委健卫', 'YMT_ERR_TEXT_INVISIBLE'],
        ['卫\u200B健委', 'YMT_ERR_TEXT_INVISIBLE'],
        ['卫健委\n', 'YMT_ERR_TEXT_CONTROL'],
      ] as const) {
        const body = await c.fails('operator', 'POST', '/area-risk', 400, code, { ...entry, authority });
        assert.deepEqual(
          body.error.details?.filter((d) => d.code === code).map((d) => d.field),
          ['authority'],
        );
      }
      const lone = await c.hub.app.inject({
        method: 'POST',
        url: '/api/v1/console/area-risk',
        headers: { authorization: `Bearer ${c.token.operator ?? ''}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ ...entry, authority: 'x' }).replace('"x"', '"\\udc00"'),
      });
      assert.equal(lone.statusCode, 400, lone.body);
      assert.equal(lone.json<ErrorBody>().error.code, 'YMT_ERR_TEXT_ENCODING');
      // A field name holding U+0000 is refused by its code too, and not echoed back.
      const key = await c.fails('operator', 'POST', '/area-risk', 400, 'YMT_ERR_TEXT_CONTROL', {
        ...entry,
        'a\u0000': 1,
      });
      assert.ok(
        key.error.details?.every((d) => !d.field.includes('\u0000')),
        JSON.stringify(key),
      );
      // Dates far off are refused at the field, never stored.
      await c.fails('operator', 'POST', '/area-risk', 400, 'YMT_ERR_DATE_IMPLAUSIBLE', {
        ...entry,
        validFrom: '0001-01-01T00:00:00Z',
      });
      await c.ok('operator', 'POST', '/area-risk', { ...entry, authority: '卫健委 👩‍⚕️' });
    });

    test('report answers: U+0000 is 400 YMT_ERR_TEXT_CONTROL; line breaks pass in this multi-line field', async () => {
      await c.fails('operator', 'POST', `/reports/${bjTicket}/answer`, 400, 'YMT_ERR_TEXT_CONTROL', {
        answer: '已核实\u0000',
      });
      await c.fails('operator', 'POST', `/reports/${bjTicket}/answer`, 400, 'YMT_ERR_TEXT_INVISIBLE', {
        answer: '已核实\u202E',
      });
      const answered = await c.ok<{ answer: string }>('operator', 'POST', `/reports/${bjTicket}/answer`, {
        answer: '已核实。\n已通知检查点。',
      });
      assert.equal(answered.answer, '已核实。\n已通知检查点。');
    });
  });
}
