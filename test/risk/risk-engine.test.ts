import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fill } from '../../src/risk/risk-engine.ts';

test('reason texts show instants in Beijing time, dates and other values as they are', () => {
  const item = {
    cityCode: '420100',
    firstSeen: '2026-11-25T18:24:11.507Z',
    lastSeen: '2026-11-26T10:00:00+08:00',
    date: '2026-11-26',
    temperature: 37.8,
  };
  assert.equal(
    fill('到访中高风险地区 {cityCode}（{firstSeen} 至 {lastSeen}）', item),
    '到访中高风险地区 420100（2026-11-26 02:24 至 2026-11-26 10:00）',
  );
  assert.equal(fill('{date} {temperature} {missing}', item), '2026-11-26 37.8 {missing}');
});
