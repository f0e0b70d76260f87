import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import { CsvRecordParser } from '../../src/feeds/csv.ts';
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
