import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isCalendarDate, isIsoDate, zonedInstant } from '../../src/time/calendar.ts';

test('real days and impossible ones', () => {
  assert.equal(isCalendarDate(2024, 2, 29), true, 'leap year');
  assert.equal(isCalendarDate(2026, 2, 29), false);
  assert.equal(isCalendarDate(1900, 2, 29), false, 'century, not leap');
  assert.equal(isCalendarDate(2000, 2, 29), true, 'fourth century, leap');
  assert.equal(isCalendarDate(2026, 4, 31), false);
  assert.equal(isCalendarDate(2026, 12, 31), true);
  assert.equal(isCalendarDate(2026, 13, 1), false);
  assert.equal(isCalendarDate(2026, 0, 1), false);
  assert.equal(isCalendarDate(2026, 1, 0), false);
  assert.equal(isIsoDate('2026-02-30'), false);
  assert.equal(isIsoDate('2026-11-27'), true);
  assert.equal(isIsoDate('2026-1-27'), false);
  assert.equal(isIsoDate(' 2026-11-27'), false);
});

test('property: agrees with the JavaScript calendar', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      (y, m, d) => {
        const date = new Date(0);
        date.setUTCFullYear(y, m - 1, d);
        const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
        assert.equal(isCalendarDate(y, m, d), real);
      },
    ),
    { numRuns: 5000 },
  );
});

test('zoned instants: ISO 8601 with a zone, on a real day', () => {
  assert.equal(zonedInstant('2026-11-26T10:00:00+08:00'), Date.parse('2026-11-26T02:00:00Z'));
  assert.equal(zonedInstant('2026-11-26T02:00Z'), Date.parse('2026-11-26T02:00:00Z'));
  assert.equal(zonedInstant('2026-11-26T02:00:00.123456789Z'), Date.parse('2026-11-26T02:00:00.123Z'));
  for (const bad of ['2026-11-26T10:00:00', '2026-02-30T10:00:00Z', '2026-11-26', 'yesterday', ''])
    assert.equal(zonedInstant(bad), undefined, bad);
});
