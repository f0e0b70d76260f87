/**
 * The console's reports section (inject, SQLite and PostgreSQL): the operator sees and answers every province's
 * non-recognition reports, a province its own (another's is not found, as through the province API); what
 * holders wrote is masked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maskIdNumber, maskPhone } from '../../src/privacy/masking.ts';
import { ENGINES } from '../helpers/context.ts';
import { BOB } from '../helpers/people.ts';
import { openReports, useConsole } from './console-fixture.ts';

for (const engine of ENGINES) {
  describe(`console: reports (${engine})`, () => {
    let bjTicket: string;
    let gdTicket: string;
    const c = useConsole(engine, async (c) => {
      ({ bjTicket, gdTicket } = await openReports(c));
    });
    const { ok, fails } = c;

    test('reports: the operator sees and answers all, a province its own; what holders wrote is masked', async () => {
      type R = {
        ticketId: string;
        province: string;
        status: string;
        answer: string | null;
        description?: string;
      };
      const all = (await ok<{ reports: R[] }>('operator', 'GET', '/reports')).reports;
      assert.deepEqual(all.map((r) => r.ticketId).sort(), [bjTicket, gdTicket].sort());
      const body = JSON.stringify(all);
      assert.ok(
        !body.includes(BOB.phone) && !body.includes(BOB.documentNumber),
        'no clear phone or ID number',
      );
      assert.ok(
        body.includes(maskPhone(BOB.phone)) && body.includes(maskIdNumber(BOB.documentNumber)),
        'the masked phone and ID number',
      );
      assert.ok(all[0]?.description?.startsWith('绿码被拒'), 'the text is kept');

      const own = (await ok<{ reports: R[] }>('bj', 'GET', '/reports')).reports;
      assert.deepEqual(
        own.map((r) => r.ticketId),
        [bjTicket],
      );
      // Another province's report is as good as unknown (as through the province API).
      await fails('bj', 'POST', `/reports/${gdTicket}/answer`, 404, 'YMT_ERR_TICKET_NOT_FOUND', {
        answer: '已核实',
      });
      await fails('bj', 'POST', `/reports/${crypto.randomUUID()}/answer`, 404, 'YMT_ERR_TICKET_NOT_FOUND', {
        answer: '已核实',
      });
      await fails('bj', 'POST', `/reports/${bjTicket}/answer`, 400, 'YMT_ERR_VALIDATION', { answer: '' });
      const answered = await ok<R>('bj', 'POST', `/reports/${bjTicket}/answer`, {
        answer: '已核实，已通知检查点',
      });
      assert.deepEqual([answered.status, answered.answer], ['answered', '已核实，已通知检查点']);
      await ok('operator', 'POST', `/reports/${gdTicket}/answer`, { answer: '已转广东省处理' });
      const open = (await ok<{ reports: R[] }>('operator', 'GET', '/reports?status=open')).reports;
      assert.deepEqual(open, []);
    });
  });
}
