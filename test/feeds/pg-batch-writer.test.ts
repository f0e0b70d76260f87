import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { copyLine, copyText } from '../../src/feeds/pg-batch-writer.ts';

/** PostgreSQL's reading of one COPY text field (the escapes copyText writes). */
function unescape(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);
}

test('COPY text: nulls, numbers, and the four characters that must be escaped', () => {
  assert.equal(copyText(null), '\\N');
  assert.equal(copyText(42), '42');
  assert.equal(copyText('第一行\n第二行'), '第一行\\n第二行');
  assert.equal(copyText('a\tb\\c\rd'), 'a\\tb\\\\c\\rd');
  assert.equal(copyLine(['x', null, 7]), 'x\t\\N\t7\n');
});

test('property: every string survives COPY text and stays on one line of its own field', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.constant(null), fc.integer())), (row) => {
      const line = copyLine(row);
      if (row.length === 0) {
        assert.equal(line, '\n');
        return;
      }
      assert.ok(line.endsWith('\n'));
      assert.ok(!/[\n\r]/.test(line.slice(0, -1)), 'no raw line break inside the row');
      const fields = line.slice(0, -1).split('\t');
      assert.equal(fields.length, row.length, 'no raw tab inside a field');
      assert.deepEqual(
        fields.map(unescape),
        row.map((v) => (typeof v === 'number' ? String(v) : v)),
      );
    }),
    { numRuns: 2000 },
  );
});
