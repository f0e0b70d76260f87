import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compareEntry, validateEntry } from '../../src/declaration/entry.domain.ts';

const TODAY = '2026-11-27';
const GOOD = { tripNo: 'CA934', date: '2026-11-20', portOfEntry: 'PEK', fromCountry: 'GBR' };

test('the window of an entry date: 30 days back, one ahead', () => {
  assert.ok(validateEntry({ ...GOOD, date: '2026-10-28' }, TODAY).ok);
  assert.ok(validateEntry({ ...GOOD, date: '2026-11-28' }, TODAY).ok);
  for (const date of ['2026-10-27', '2026-11-29', '0001-01-01', '2026-02-30'])
    assert.equal(validateEntry({ ...GOOD, date }, TODAY).ok, false, date);
});

test('trains as well as flights; a quarantine place is optional but checked', () => {
  assert.ok(validateEntry({ ...GOOD, tripNo: 'z97' }, TODAY).ok);
  assert.ok(validateEntry({ ...GOOD, quarantinePlace: '北京市朝阳区某酒店' }, TODAY).ok);
  assert.equal(validateEntry({ ...GOOD, quarantinePlace: '\u200B' }, TODAY).ok, false);
  assert.equal(validateEntry('CA934', TODAY).ok, false);
});

test('compared with the immigration records: matched, mismatch (nearest record), not recorded', () => {
  assert.deepEqual(compareEntry(GOOD, []), { result: 'not_recorded', fields: [] });
  assert.deepEqual(compareEntry(GOOD, [{ tripNo: 'CA934', date: '2026-11-20', port: null }]), {
    result: 'matched',
    fields: [],
  });
  assert.deepEqual(
    compareEntry(GOOD, [
      { tripNo: 'CA934', date: '2026-11-02', port: 'PEK' },
      { tripNo: 'CA934', date: '2026-11-21', port: 'PEK' },
    ]),
    { result: 'mismatch', fields: ['date'], nearest: { tripNo: 'CA934', date: '2026-11-21', port: 'PEK' } },
  );
});

test('property: any input is answered without throwing, and what is accepted is accepted again unchanged', () => {
  fc.assert(
    fc.property(
      fc.record({
        tripNo: fc.oneof(fc.string(), fc.stringMatching(/^[A-Z]{2}[0-9]{1,4}$/)),
        date: fc.oneof(fc.string(), fc.constantFrom('2026-11-20', '2026-11-27')),
        portOfEntry: fc.string(),
        fromCountry: fc.oneof(fc.string(), fc.constantFrom('GBR', 'usa', 'CHN')),
        quarantinePlace: fc.option(fc.string(), { nil: undefined }),
      }),
      (input) => {
        const r = validateEntry(input, TODAY);
        if (r.ok) assert.deepEqual(validateEntry(r.value, TODAY), r);
        else assert.ok(r.problems.length > 0);
      },
    ),
  );
});
