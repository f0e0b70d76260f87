import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFeedRecord, type FeedSource } from '../../src/feeds/feed-records.domain.ts';
import { parseIdentityLine } from '../../src/identity/identities.import.ts';
import { generatePopulation } from '../../src/seed/population.generator.ts';

const options = { people: 3000, days: 14, seed: 42, until: '2026-11-27' };
const feeds = generatePopulation(options);

test('the same seed and end date give the same population; another seed another', () => {
  assert.deepEqual(generatePopulation(options), feeds);
  assert.notDeepEqual(generatePopulation({ ...options, seed: 43 }).identities, feeds.identities);
});

test('every generated record passes the feeds’ own validation', () => {
  feeds.identities.forEach((p, i) => {
    const r = parseIdentityLine(JSON.stringify(p), i + 1, '2026-11-27');
    assert.ok('doc' in r, `identity ${i + 1}: ${JSON.stringify(r)}`);
  });
  for (const source of [
    'health',
    'railway',
    'aviation',
    'immigration',
    'telecom',
    'area-risk',
  ] as FeedSource[]) {
    assert.ok(feeds[source].length > 0, `${source} is empty`);
    for (const record of feeds[source]) {
      const r = parseFeedRecord(source, record as Record<string, unknown>, new Date('2026-11-27T02:00:00Z'));
      assert.ok(r.ok, `${source}: ${JSON.stringify(record)} → ${JSON.stringify(r)}`);
    }
  }
});

test('people live across all 32 provincial units, and some hold passports', () => {
  const ids = feeds.identities as { documentType: string; documentNumber: string }[];
  const units = new Set(
    ids
      .filter((p) => p.documentType === 'id_card')
      .map((p) => (p.documentNumber.startsWith('6590') ? 'corps' : p.documentNumber.slice(0, 2))),
  );
  assert.equal(units.size, 32);
  const passports = ids.filter((p) => p.documentType === 'passport').length;
  assert.ok(passports > 50 && passports < 300, `${passports} passports`);
  assert.equal(new Set(ids.map((p) => p.documentNumber)).size, ids.length, 'documents are unique');
});
