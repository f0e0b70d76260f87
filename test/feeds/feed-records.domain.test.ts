import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFeedRecord, type FeedSource } from '../../src/feeds/feed-records.domain.ts';

const NOW = new Date('2026-11-27T02:00:00Z');
const ID = '11010519491231002X';

function code(source: FeedSource, raw: Record<string, unknown>): string {
  const r = parseFeedRecord(source, raw, NOW);
  return r.ok ? 'ok' : `${r.code}:${r.field}`;
}

test('health events', () => {
  const base = {
    documentType: 'id_card',
    documentNumber: ID,
    status: 'suspected',
    at: '2026-11-20T08:00:00+08:00',
  };
  assert.equal(code('health', base), 'ok');
  assert.equal(code('health', { ...base, status: 'sick' }), 'YMT_ERR_FEED_FIELD:status');
  assert.equal(code('health', { ...base, at: '2026-11-20 08:00' }), 'YMT_ERR_FEED_DATE:at');
  assert.equal(
    code('health', { ...base, at: '2026-11-20T08:00:00' }),
    'YMT_ERR_FEED_DATE:at',
    'a time needs its zone',
  );
  assert.equal(code('health', { ...base, at: '2026-02-30T08:00:00Z' }), 'YMT_ERR_FEED_DATE:at');
  assert.equal(
    code('health', { ...base, documentType: 'passport', nationality: 'XXX' }),
    'YMT_ERR_NATIONALITY:nationality',
  );
  const ok = parseFeedRecord('health', base, NOW);
  assert.ok(ok.ok && ok.record.source === 'health' && ok.record.at === Date.parse('2026-11-20T00:00:00Z'));
});

test('manifests', () => {
  const person = { documentType: 'passport', documentNumber: 'E12345678', nationality: 'CHN' };
  assert.equal(code('aviation', { ...person, flightNo: 'mu5101', date: '2026-11-20', seat: '23c' }), 'ok');
  assert.equal(
    code('aviation', { ...person, flightNo: 'MU5101', date: '2026-11-20', seat: '23I' }),
    'YMT_ERR_FEED_FIELD:seat',
  );
  assert.equal(
    code('aviation', { ...person, flightNo: 'MU-5101', date: '2026-11-20', seat: '23C' }),
    'YMT_ERR_FEED_FIELD:flightNo',
  );
  assert.equal(
    code('railway', { ...person, trainNo: 'G123', date: '2026-11-20', carriage: '05', seat: '12F' }),
    'ok',
  );
  assert.equal(
    code('railway', { ...person, trainNo: 'G123', date: '2026-11-20', carriage: 2.5, seat: '12F' }),
    'YMT_ERR_FEED_FIELD:carriage',
  );
  assert.equal(
    code('railway', { ...person, trainNo: 'X1', date: '2026-11-20', carriage: 1, seat: '1A' }),
    'YMT_ERR_FEED_FIELD:trainNo',
  );
  assert.equal(
    code('immigration', { ...person, flightNo: 'CA934', date: '20261120', port: 'PEK' }),
    'YMT_ERR_FEED_DATE:date',
  );
  const r = parseFeedRecord(
    'aviation',
    { ...person, flightNo: 'mu5101', date: '2026-11-20', seat: '7a' },
    NOW,
  );
  assert.ok(r.ok && r.record.source === 'aviation');
  assert.deepEqual([r.record.flightNo, r.record.row, r.record.seat], ['MU5101', 7, '7A']);
});

test('telecom stays and area risk levels', () => {
  const stay = {
    phone: '+86 139 1234 5678',
    cityCode: '440300',
    firstSeen: '2026-11-20T08:00:00+08:00',
    lastSeen: '2026-11-20T12:00:00+08:00',
  };
  assert.equal(code('telecom', stay), 'ok');
  assert.equal(
    code('telecom', { ...stay, lastSeen: '2026-11-20T07:00:00+08:00' }),
    'YMT_ERR_FEED_TIME_ORDER:lastSeen',
  );
  assert.equal(code('telecom', { ...stay, cityCode: '440000' }), 'YMT_ERR_REGION_UNKNOWN:cityCode');
  assert.equal(code('telecom', { ...stay, phone: '12' }), 'YMT_ERR_PHONE_FORMAT:phone');
  const risk = {
    areaCode: '420100',
    level: 'high',
    from: '2026-11-20T00:00:00Z',
    to: '2026-11-21T00:00:00Z',
  };
  assert.equal(code('area-risk', risk), 'ok');
  assert.equal(code('area-risk', { ...risk, level: 'extreme' }), 'YMT_ERR_FEED_FIELD:level');
  assert.equal(code('area-risk', { ...risk, to: risk.from }), 'YMT_ERR_FEED_TIME_ORDER:to');
  assert.equal(code('area-risk', { ...risk, colour: 'red' }), 'YMT_ERR_FEED_UNKNOWN_FIELD:colour');
  assert.equal(code('area-risk', { ...risk, level: '' }), 'YMT_ERR_FEED_MISSING_FIELD:level');
});
