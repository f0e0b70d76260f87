/**
 * Inbound travellers' entry (Q10, issue 16): a passport holder declares the flight, date, port, country and
 * quarantine place; the hub compares it with what the immigration feed recorded for the same passport. Both engines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import baseline from '../../src/risk/baseline.rule-set.json' with { type: 'json' };
import { parseDocument } from '../../src/identity/document.domain.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { ALICE, bearer, HEALTHY_DECLARATION } from '../helpers/people.ts';

interface EntryJson {
  declared: { tripNo: string; date: string; portOfEntry: string; fromCountry: string } | null;
  recorded: {
    tripNo: string;
    date: string;
    port: string | null;
    evidence: { source: string; batchId: string };
  }[];
  check: { result: string; fields: string[] } | null;
}
interface ErrorJson {
  error: { code: string; details?: { field: string; code: string }[] };
}

/** Today on the test clock is 2026-11-27 (Beijing). */
const ENTRY = { tripNo: 'ca 934', date: '2026-11-20', portOfEntry: '北京首都国际机场', fromCountry: 'gbr' };
const SMITH = {
  documentType: 'passport' as const,
  documentNumber: 'K12345678',
  nationality: 'GBR',
  name: 'JOHN SMITH',
};

for (const engine of ENGINES) {
  describe(`inbound entry declared and checked (${engine})`, () => {
    let hub: TestApp;
    let smith: string;
    before(async () => {
      hub = await startApp(engine);
      const doc = parseDocument('passport', SMITH.documentNumber, SMITH.nationality, '2026-11-27');
      assert.ok(doc.ok);
      await hub.parts.repositories.persons.upsert(
        hub.parts.db,
        { doc: doc.value, name: SMITH.name },
        Date.now(),
      );
      smith = await signInSmith();
    });
    after(() => hub.close());
    const signInSmith = async () => {
      const res = await hub.app.inject({ method: 'POST', url: '/api/v1/auth/real-name', payload: SMITH });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<{ token: string }>().token;
    };

    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      hub.app.inject({ method, url, headers: bearer(smith), ...(payload ? { payload } : {}) });
    const body = { ...HEALTHY_DECLARATION, phone: '13800000123', sex: 'male' };

    test('a bad entry is refused field by field, and nothing is written', async () => {
      // An invisible character is refused by the text rule before anything else is checked (docs/api.md#text).
      const invisible = await call('POST', '/api/v1/me/declaration', {
        ...body,
        entry: { tripNo: 'CA934', date: '2026-11-20', portOfEntry: 'PEK\u202E', fromCountry: 'GBR' },
      });
      assert.equal(invisible.statusCode, 400);
      assert.deepEqual(
        (invisible.json<ErrorJson>().error.details ?? []).map((d) => [d.field, d.code]),
        [['entry.portOfEntry', 'YMT_ERR_TEXT_INVISIBLE']],
      );
      const res = await call('POST', '/api/v1/me/declaration', {
        ...body,
        entry: { tripNo: 'not a trip', date: '2026-09-01', portOfEntry: 'PEK', fromCountry: 'XXX' },
      });
      assert.equal(res.statusCode, 400);
      const byField = Object.fromEntries(
        (res.json<ErrorJson>().error.details ?? []).map((d) => [d.field, d.code]),
      );
      assert.deepEqual(byField, {
        'entry.tripNo': 'YMT_ERR_VALIDATION',
        'entry.date': 'YMT_ERR_ENTRY_DATE_RANGE',
        'entry.fromCountry': 'YMT_ERR_COUNTRY_UNKNOWN',
      });
      assert.equal((await call('GET', '/api/v1/me/declaration')).statusCode, 404);
    });

    test('declared before the feed: normalised, and not recorded yet', async () => {
      const res = await call('POST', '/api/v1/me/declaration', { ...body, entry: ENTRY });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json<{ entry: object }>().entry, {
        tripNo: 'CA934',
        date: '2026-11-20',
        portOfEntry: '北京首都国际机场',
        fromCountry: 'GBR',
      });
      const check = (await call('GET', '/api/v1/me/health/entry')).json<EntryJson>();
      assert.deepEqual(check.check, { result: 'not_recorded', fields: [] });
      assert.deepEqual(check.recorded, []);
    });

    test('the immigration feed recorded another flight that day: flagged, with the record named', async () => {
      const doc = { documentType: 'passport', documentNumber: SMITH.documentNumber, nationality: 'GBR' };
      await sendFeed(hub, 'immigration', 'nia-entry-1', [
        { ...doc, flightNo: 'CA938', date: '2026-11-20', port: 'PEK' },
        {
          documentType: 'id_card',
          documentNumber: ALICE.documentNumber,
          flightNo: 'CA934',
          date: '2026-11-20',
          port: 'PEK',
        },
      ]);
      const check = (await call('GET', '/api/v1/me/health/entry')).json<EntryJson>();
      assert.deepEqual(check.check, { result: 'mismatch', fields: ['tripNo'] });
      assert.deepEqual(
        check.recorded.map((r) => [r.tripNo, r.date, r.port, r.evidence.source, r.evidence.batchId]),
        [['CA938', '2026-11-20', 'PEK', 'immigration', 'nia-entry-1']],
      );
    });

    test('the mismatch is an input the status rules can use: green under the baseline, yellow under a set that uses it', async () => {
      const health = async () =>
        (await call('GET', '/api/v1/me/health')).json<{
          colour: string;
          reasons: { code: string; textEn: string }[];
        }>();
      const before = await health();
      assert.deepEqual([before.colour, before.reasons.map((r) => r.code)], ['green', ['NO_ABNORMALITY']]);
      // A province's stricter set: the national baseline and one rule over the entry check.
      const stricter = {
        ...baseline,
        version: '1.1.0',
        validFrom: hub.clock.now().toISOString(),
        rules: [
          ...baseline.rules,
          {
            id: 'ENTRY_MISMATCH',
            colour: 'yellow',
            over: 'entry',
            when: { '===': [{ var: 'item.result' }, 'mismatch'] },
            text: '申报入境 {declaredTripNo}（{declaredDate}）与出入境记录 {recordedTripNo}（{recordedDate}）不符',
            textEn:
              'Declared entry {declaredTripNo} ({declaredDate}) differs from the immigration record {recordedTripNo} ({recordedDate})',
          },
        ],
      };
      await hub.parts.services.statusRuleSets.publish(
        stricter,
        { role: 'operator', name: 'test' },
        hub.clock.now(),
      );
      const after = await health();
      assert.equal(after.colour, 'yellow');
      assert.deepEqual(
        after.reasons.map((r) => [r.code, r.textEn]),
        [
          [
            'ENTRY_MISMATCH',
            'Declared entry CA934 (2026-11-20) differs from the immigration record CA938 (2026-11-20)',
          ],
        ],
      );
    });

    test('corrected by a modification, it matches; a modification without `entry` keeps it, null removes it', async () => {
      const fixed = await call('PATCH', '/api/v1/me/declaration', { entry: { ...ENTRY, tripNo: 'CA938' } });
      assert.equal(fixed.statusCode, 200, fixed.body);
      const check = (await call('GET', '/api/v1/me/health/entry')).json<EntryJson>();
      assert.deepEqual(check.check, { result: 'matched', fields: [] });
      assert.equal((await call('GET', '/api/v1/me/health')).json<{ colour: string }>().colour, 'green');
      hub.clock.advance(86_400);
      smith = await signInSmith();
      const other = await call('PATCH', '/api/v1/me/declaration', { temperature: 36.4 });
      assert.equal(other.json<{ entry?: { tripNo: string } }>().entry?.tripNo, 'CA938', other.body);
      hub.clock.advance(86_400);
      smith = await signInSmith();
      const removed = await call('PATCH', '/api/v1/me/declaration', { entry: null });
      assert.equal(removed.statusCode, 200, removed.body);
      assert.equal(removed.json<{ entry?: object }>().entry, undefined);
      const none = (await call('GET', '/api/v1/me/health/entry')).json<EntryJson>();
      assert.equal(none.declared, null);
      assert.equal(none.check, null);
      assert.equal(none.recorded.length, 1);
    });
  });
}
