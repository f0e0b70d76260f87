/**
 * The console's status entries section (inject, SQLite and PostgreSQL): operators only; an entry created for a
 * holder named by their document, listed masked with who, when and why, ended with a reason once; bad input refused
 * with a coded error at the field, and nothing written.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StatusEntryAnswer } from '../../src/console/sections/status-entries.routes.ts';
import { maskIdNumber } from '../../src/privacy/masking.ts';
import { ENGINES } from '../helpers/context.ts';
import { BOB, idNumber, register } from '../helpers/people.ts';
import { T0, useConsole } from './console-fixture.ts';

const entriesUrl = '/status-entries';
/** Bob's number with another check character. */
const wrongCheck = BOB.documentNumber.slice(0, 17) + (BOB.documentNumber.endsWith('0') ? '1' : '0');

for (const engine of ENGINES) {
  describe(`console: status entries (${engine})`, () => {
    const c = useConsole(engine, async ({ hub }) => {
      await register(hub.parts, BOB);
    });
    const { ok, fails } = c;
    const bob = { documentType: 'id_card', documentNumber: BOB.documentNumber };
    const list = async (active?: boolean) =>
      (
        await ok<{ entries: StatusEntryAnswer[] }>(
          'operator',
          'GET',
          `${entriesUrl}${active === undefined ? '' : `?active=${String(active)}`}`,
        )
      ).entries;

    test('operators only: provinces and departments are refused, before the body is read', async () => {
      for (const who of ['bj', 'gd', 'railway']) {
        await fails(who, 'GET', entriesUrl, 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
        await fails(who, 'GET', `${entriesUrl}/kinds`, 403, 'YMT_ERR_CONSOLE_FORBIDDEN');
        await fails(who, 'POST', entriesUrl, 403, 'YMT_ERR_CONSOLE_FORBIDDEN', {});
        await fails(
          who,
          'POST',
          `${entriesUrl}/${crypto.randomUUID()}/end`,
          403,
          'YMT_ERR_CONSOLE_FORBIDDEN',
          {},
        );
      }
      await fails(undefined, 'GET', entriesUrl, 401, 'YMT_ERR_CONSOLE_UNAUTHENTICATED');
      const me = await ok<{ may: string[] }>('bj', 'GET', '/me');
      assert.ok(!me.may.includes('status-entries'));
    });

    test('the kinds an operator may create: each with its colour and case status', async () => {
      const { kinds } = await ok<{ kinds: { code: string; colour: string; caseStatus: string | null }[] }>(
        'operator',
        'GET',
        `${entriesUrl}/kinds`,
      );
      assert.deepEqual(
        kinds.map((k) => [k.code, k.colour, k.caseStatus]),
        [
          ['CASE_CONFIRMED', 'red', 'confirmed'],
          ['CASE_SUSPECTED', 'red', 'suspected'],
          ['CASE_ASYMPTOMATIC', 'red', 'asymptomatic'],
          ['CLOSE_CONTACT_OBSERVED', 'red', 'close_contact'],
        ],
      );
    });

    test('bad input is refused at the field, and nothing is written', async () => {
      const good = { ...bob, kind: 'CASE_CONFIRMED', reason: '流调核实' };
      const cases: [object, number, string, string][] = [
        [
          { ...good, documentNumber: idNumber('11010819850607999') },
          404,
          'YMT_ERR_HOLDER_UNKNOWN',
          'documentNumber',
        ],
        [{ ...good, documentNumber: wrongCheck }, 400, 'YMT_ERR_ID_NUMBER_CHECKSUM', 'documentNumber'],
        [
          { ...good, documentType: 'passport', nationality: 'XXX' },
          400,
          'YMT_ERR_NATIONALITY',
          'nationality',
        ],
        [{ ...good, kind: 'CASE_MAYBE' }, 400, 'YMT_ERR_STATUS_ENTRY_KIND', 'kind'],
        [{ ...good, until: '2026-11-30T00:00:00' }, 400, 'YMT_ERR_STATUS_ENTRY_UNTIL', 'until'],
        [{ ...good, until: '2026-11-01T00:00:00+08:00' }, 400, 'YMT_ERR_STATUS_ENTRY_UNTIL', 'until'],
        [{ ...good, reason: '   ' }, 400, 'YMT_ERR_VALIDATION', 'reason'],
      ];
      for (const [body, status, code, field] of cases) {
        const refused = await fails('operator', 'POST', entriesUrl, status, code, body);
        assert.deepEqual(
          refused.error.details?.map((d) => [d.field, d.code]),
          [[field, code]],
          JSON.stringify(body),
        );
      }
      // The HTTP schema refuses what is not the form at all.
      await fails('operator', 'POST', entriesUrl, 400, 'YMT_ERR_VALIDATION', { ...good, colour: 'red' });
      await fails('operator', 'POST', entriesUrl, 400, 'YMT_ERR_VALIDATION', { ...good, reason: '' });
      assert.deepEqual(await list(), []);
      const rows = await c.hub.parts.db.selectFrom('status_entries').selectAll().execute();
      assert.equal(rows.length, 0);
    });

    let entryId = '';
    test('an entry is created with its provenance and listed masked', async () => {
      const until = '2026-12-06T10:00:00+08:00';
      const res = await c.call('operator', 'POST', entriesUrl, {
        ...bob,
        kind: 'CASE_CONFIRMED',
        until,
        reason: '区疾控中心流调报告',
      });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json<StatusEntryAnswer>();
      entryId = created.entryId;
      assert.deepEqual(
        { ...created, entryId: undefined },
        {
          entryId: undefined,
          holder: {
            documentType: 'id_card',
            documentNumber: maskIdNumber(BOB.documentNumber),
            nationality: 'CHN',
            name: '李*',
          },
          kind: 'CASE_CONFIRMED',
          colour: 'red',
          caseStatus: 'confirmed',
          text: '确诊病例',
          textEn: 'Confirmed case',
          source: 'operator',
          validFrom: new Date(T0).toISOString(),
          validUntil: '2026-12-06T02:00:00.000Z',
          createdAt: new Date(T0).toISOString(),
          createdBy: '国家运营值班',
          reason: '区疾控中心流调报告',
          ended: null,
          active: true,
        },
      );
      assert.ok(!JSON.stringify(created).includes(BOB.documentNumber), 'the document is masked');
      assert.deepEqual(
        (await list()).map((e) => e.entryId),
        [entryId],
      );
      assert.deepEqual(
        (await list(true)).map((e) => e.entryId),
        [entryId],
      );
    });

    test('ending it: once, with the reason; an unknown entry is not found', async () => {
      await fails('operator', 'POST', `${entriesUrl}/${entryId}/end`, 400, 'YMT_ERR_VALIDATION', {});
      const blank = await fails(
        'operator',
        'POST',
        `${entriesUrl}/${entryId}/end`,
        400,
        'YMT_ERR_VALIDATION',
        {
          reason: '  ',
        },
      );
      assert.deepEqual(
        blank.error.details?.map((d) => d.field),
        ['reason'],
      );
      c.hub.clock.advance(60);
      const ended = await ok<StatusEntryAnswer>('operator', 'POST', `${entriesUrl}/${entryId}/end`, {
        reason: '复核排除',
      });
      assert.deepEqual(ended.ended, {
        at: new Date(T0 + 60_000).toISOString(),
        by: '国家运营值班',
        reason: '复核排除',
      });
      assert.equal(ended.active, false);
      await fails('operator', 'POST', `${entriesUrl}/${entryId}/end`, 409, 'YMT_ERR_STATUS_ENTRY_ENDED', {
        reason: '再次结束',
      });
      await fails(
        'operator',
        'POST',
        `${entriesUrl}/${crypto.randomUUID()}/end`,
        404,
        'YMT_ERR_STATUS_ENTRY_NOT_FOUND',
        { reason: '结束' },
      );
      assert.deepEqual(await list(true), []);
      assert.deepEqual(
        (await list()).map((e) => [e.entryId, e.active, e.ended?.reason]),
        [[entryId, false, '复核排除']],
      );
    });
  });
}
