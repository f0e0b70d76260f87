/**
 * The department feeds' parsers (issue 17: property tests on every parser): an NDJSON feed of any lines gives a
 * record or an error per line, and a record of any values gives a feed record or a coded refusal at a field —
 * never a throw. (CSV has its own properties in csv.test.ts.)
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import { ERRORS } from '../../src/errors/registry.ts';
import { readFeed } from '../../src/feeds/feed-reader.ts';
import { FEED_FIELDS, FEED_SOURCES, parseFeedRecord } from '../../src/feeds/feed-records.domain.ts';

const NOW = new Date('2026-11-27T04:00:00Z');
const plausible = fc.constantFrom(
  'id_card',
  'passport',
  '11010519491231002X',
  'E12345678',
  'CHN',
  'confirmed',
  'high',
  '2026-11-20',
  '2026-11-20T08:00:00Z',
  'CA1234',
  'G1234',
  '110105',
  '13800138000',
  '12A',
  '',
);
const value = fc.oneof(
  plausible,
  fc.jsonValue({ maxDepth: 1 }),
  fc.string({ maxLength: 12, unit: 'binary' }),
);

test('property: a record of any values, for every source: a feed record, or a coded refusal at a field', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...FEED_SOURCES).chain((source) => {
        const fields = [...FEED_FIELDS[source].required, ...FEED_FIELDS[source].optional, 'unknownField'];
        return fc.tuple(
          fc.constant(source),
          fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: fields.length }),
        );
      }),
      ([source, raw]) => {
        const r = parseFeedRecord(source, raw, NOW);
        if (!r.ok) {
          assert.ok(Object.hasOwn(ERRORS, r.code), r.code);
          assert.ok(r.field.length > 0);
        }
      },
    ),
    { numRuns: 4000 },
  );
});

test('property: an NDJSON feed of any lines: one record or one error per non-blank line', async () => {
  const line = fc.oneof(
    fc.string({ maxLength: 40, unit: 'binary' }).map((s) => s.replace(/[\r\n]/g, ' ')),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(line, { maxLength: 8 }), async (lines) => {
      const seen: number[] = [];
      for await (const r of readFeed(Readable.from([lines.join('\n')]), 'ndjson')) {
        seen.push(r.line);
        assert.ok('raw' in r || r.error.length > 0);
      }
      const expected = lines.flatMap((l, i) => (l.trim() === '' ? [] : [i + 1]));
      assert.deepEqual(seen, expected);
    }),
    { numRuns: 300 },
  );
});
