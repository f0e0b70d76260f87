import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cityOf, compareItinerary } from '../../src/health-info/itinerary.domain.ts';

const h = (iso: string) => Date.parse(iso);

test('cities: municipalities as a whole, elsewhere the prefecture', () => {
  assert.equal(cityOf('110105'), '110000');
  assert.equal(cityOf('500000'), '500000');
  assert.equal(cityOf('440305'), '440300');
  assert.equal(cityOf('440300'), '440300');
  assert.equal(cityOf('659001'), '659000');
});

test('mismatches compare declared cities with telecom stays of 4 hours or more', () => {
  const stays = [
    { cityCode: '440300', firstSeen: h('2026-11-20T08:00:00Z'), lastSeen: h('2026-11-20T12:00:00Z') },
    { cityCode: '440100', firstSeen: h('2026-11-21T08:00:00Z'), lastSeen: h('2026-11-21T11:59:00Z') },
    { cityCode: '110105', firstSeen: h('2026-11-22T08:00:00Z'), lastSeen: h('2026-11-22T20:00:00Z') },
  ];
  assert.deepEqual(compareItinerary(['440305', '310000'], stays, 4), {
    declaredNotSeen: ['310000'],
    seenNotDeclared: ['110000'],
  });
});
