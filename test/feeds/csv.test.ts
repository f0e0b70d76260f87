import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../../src/errors/app-error.ts';
import { CsvRecordParser, csvHeader } from '../../src/feeds/csv.ts';
import { parseFeedRecord } from '../../src/feeds/feed-records.domain.ts';
import { printableFieldName } from '../../src/text/text.domain.ts';
import { readFeed, type RawRecord } from '../../src/feeds/feed-reader.ts';

function toCsv(fields: string[]): string {
  return fields
    .map((f) => (/[",\n]/.test(f) || f.startsWith(' ') ? `"${f.replace(/"/g, '""')}"` : f))
    .join(',');
}

async function all(body: string, format: 'csv' | 'ndjson'): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of readFeed(Readable.from([body]), format)) out.push(r);
  return out;
}

test('property: any row written as RFC 4180 CSV parses back to the same fields', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\r')),
        { minLength: 1, maxLength: 6 },
      ),
      (fields) => {
        const parser = new CsvRecordParser();
        const lines = toCsv(fields).split('\n');
        let result;
        for (const line of lines) result = parser.push(line);
        assert.deepEqual(result, { kind: 'record', fields });
      },
    ),
  );
});

test('malformed CSV is an error for that record only', () => {
  const p = new CsvRecordParser();
  assert.equal(p.push('a,b"c,d').kind, 'error');
  assert.equal(p.push('"a"b,c').kind, 'error');
  assert.deepEqual(p.push('x,y'), { kind: 'record', fields: ['x', 'y'] });
});

test('records keep the line they start on; a quote left open is reported at the end', async () => {
  const rows = await all('a,b\n1,2\n\n"3\n4",5\n"6,7', 'csv');
  assert.deepEqual(
    rows.map((r) => ('error' in r ? [r.line, 'error'] : [r.line, r.raw])),
    [
      [2, { a: '1', b: '2' }],
      [4, { a: '3\n4', b: '5' }],
      [6, 'error'],
    ],
  );
});

test('NDJSON: blank lines are skipped, non-objects are errors, line numbers are physical', async () => {
  const rows = await all('{"a":1}\n\n[1]\nnull\n{"b":2}\r\n', 'ndjson');
  assert.deepEqual(
    rows.map((r) => ('error' in r ? [r.line, r.error] : [r.line, r.raw])),
    [
      [1, { a: 1 }],
      [3, 'not a JSON object'],
      [4, 'not a JSON object'],
      [5, { b: 2 }],
    ],
  );
});

test('a header naming a column twice refuses the batch with YMT_ERR_FEED_DUPLICATE_HEADER, naming the column', async () => {
  assert.deepEqual(csvHeader(['\uFEFFa', ' b ', 'c']), { names: ['a', 'b', 'c'], duplicate: undefined });
  assert.equal(csvHeader(['a', 'b', ' a']).duplicate, 'a');
  await assert.rejects(all('status,at,status\nx,y,z\n', 'csv'), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'YMT_ERR_FEED_DUPLICATE_HEADER');
    assert.deepEqual(
      e.details?.map((d) => d.field),
      ['status'],
    );
    return true;
  });
});

test('property: any text read as CSV gives records or per-record errors, or the coded duplicate-header refusal', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (body) => {
      try {
        for (const r of await all(body, 'csv')) {
          assert.ok('raw' in r || typeof r.error === 'string');
          if ('raw' in r) for (const v of Object.values(r.raw)) assert.equal(typeof v, 'string');
        }
      } catch (e) {
        assert.ok(e instanceof AppError && e.code === 'YMT_ERR_FEED_DUPLICATE_HEADER', String(e));
      }
    }),
  );
});

test('property: every record a CSV feed yields is accepted unchanged or refused with a code, never thrown', async () => {
  const now = new Date('2026-11-27T02:00:00Z');
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { minLength: 1, maxLength: 4 }),
      async (header, row) => {
        const body = `${toCsv(header.map((h) => h.replace(/[\r\n]/g, '')))}\n${toCsv(row.map((v) => v.replace(/[\r\n]/g, '')))}\n`;
        let records: RawRecord[];
        try {
          records = await all(body, 'csv');
        } catch (e) {
          assert.ok(e instanceof AppError && e.code === 'YMT_ERR_FEED_DUPLICATE_HEADER', String(e));
          return;
        }
        for (const r of records) {
          if (!('raw' in r)) continue;
          const parsed = parseFeedRecord('health', r.raw, now);
          if (!parsed.ok) {
            assert.match(parsed.code, /^YMT_ERR_/);
            assert.equal(printableFieldName(parsed.field), parsed.field, 'the field named is printable');
          }
        }
      },
    ),
  );
});
