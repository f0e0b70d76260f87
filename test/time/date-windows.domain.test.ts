/** Plausible-date windows (src/time/date-windows.domain.ts): the edges of each window, around a given present. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DATE_WINDOWS, dayInWindow, instantInWindow } from '../../src/time/date-windows.domain.ts';

const NOW = Date.parse('2026-11-27T02:00:00Z');
const DAY = 86_400_000;

test('every window: its edges are in, a millisecond beyond is out', () => {
  for (const [name, w] of Object.entries(DATE_WINDOWS) as [
    keyof typeof DATE_WINDOWS,
    { pastDays: number; futureDays: number },
  ][]) {
    assert.ok(instantInWindow(NOW - w.pastDays * DAY, name, NOW), `${name}: earliest`);
    assert.ok(!instantInWindow(NOW - w.pastDays * DAY - 1, name, NOW), `${name}: before`);
    assert.ok(instantInWindow(NOW + w.futureDays * DAY, name, NOW), `${name}: latest`);
    assert.ok(!instantInWindow(NOW + w.futureDays * DAY + 1, name, NOW), `${name}: after`);
  }
});

test('the attack run’s dates are out; today’s are in', () => {
  for (const t of [
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
    '1026-11-20T08:00:00+08:00',
    '2099-01-01T00:00:00Z',
  ])
    for (const name of ['healthEvent', 'telecomStay', 'statusChange'] as const)
      assert.ok(!instantInWindow(Date.parse(t), name, NOW), `${name} ${t}`);
  assert.ok(instantInWindow(NOW, 'healthEvent', NOW));
  assert.ok(!dayInWindow('2099-11-20', 'tripDate', '2026-11-27'));
  assert.ok(!dayInWindow('0001-01-01', 'tripDate', '2026-11-27'));
  assert.ok(dayInWindow('2026-11-27', 'tripDate', '2026-11-27'));
  assert.ok(dayInWindow('2026-11-30', 'tripDate', '2026-11-27'));
  assert.ok(!dayInWindow('2026-12-01', 'tripDate', '2026-11-27'));
  assert.ok(dayInWindow('2025-11-26', 'tripDate', '2026-11-27'));
  assert.ok(!dayInWindow('2025-11-25', 'tripDate', '2026-11-27'));
  assert.ok(!dayInWindow('not a day', 'tripDate', '2026-11-27'));
});
