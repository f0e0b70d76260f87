import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextShanghaiMidnight, shanghaiDate, shanghaiMinute } from '../../src/time/shanghai.ts';

test('the calendar day turns at 16:00 UTC', () => {
  assert.equal(shanghaiDate(Date.parse('2026-11-27T15:59:59.999Z')), '2026-11-27');
  assert.equal(shanghaiDate(Date.parse('2026-11-27T16:00:00.000Z')), '2026-11-28');
  assert.equal(shanghaiDate(Date.parse('2026-12-31T17:00:00.000Z')), '2027-01-01');
  assert.equal(
    nextShanghaiMidnight(Date.parse('2026-11-27T02:00:00.000Z')).toISOString(),
    '2026-11-27T16:00:00.000Z',
  );
  assert.equal(
    nextShanghaiMidnight(Date.parse('2026-11-27T16:00:00.000Z')).toISOString(),
    '2026-11-28T16:00:00.000Z',
  );
});

test('an instant reads as Beijing time to the minute', () => {
  assert.equal(shanghaiMinute(Date.parse('2026-11-25T18:24:11.507Z')), '2026-11-26 02:24');
  assert.equal(shanghaiMinute(Date.parse('2026-11-05T09:00:00+08:00')), '2026-11-05 09:00');
});
