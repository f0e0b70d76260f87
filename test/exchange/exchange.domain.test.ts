/**
 * The exchange's pure part: what is news (signature), and how a batch is cut to fit one request (fitBatch). A batch
 * of 500 national deltas once exceeded the node's 64 KiB body limit: every request was refused (413) and the
 * exchange stalled for good.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fitBatch, signature, type ExchangedStatus } from '../../src/exchange/exchange.domain.ts';

const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

test('fitBatch: the longest prefix that fits, never empty, rows without a delta counted but not sent', () => {
  fc.assert(
    fc.property(
      fc.array(fc.option(fc.string({ maxLength: 300, unit: 'grapheme' }), { nil: undefined }), {
        maxLength: 60,
      }),
      fc.integer({ min: 20, max: 4000 }),
      (texts, maxBytes) => {
        const rows = texts.map((text, id) => ({ id, text }));
        const { deltas, covered } = fitBatch(rows, (r) => (r.text === undefined ? undefined : r), maxBytes);
        assert.equal(covered === 0, rows.length === 0);
        assert.deepEqual(
          deltas,
          rows.slice(0, covered).filter((r) => r.text !== undefined),
        );
        // It fits, unless a single delta alone is too big (then it goes alone: a batch never stalls).
        if (deltas.length > 1) assert.ok(bytes({ deltas }) <= maxBytes);
        // And it is the longest: one row more would not fit.
        const next = rows[covered];
        if (next?.text !== undefined) assert.ok(bytes({ deltas: [...deltas, next] }) > maxBytes);
      },
    ),
  );
});

test('signature: the same news is the same signature; a change of colour, record or case status is news', () => {
  const reason = {
    code: 'CASE_CONFIRMED',
    colour: 'red' as const,
    text: '确诊病例',
    textEn: 'Confirmed',
    evidence: { source: 'status', batchId: 'e1', record: 0 },
  };
  const base: ExchangedStatus = {
    colour: 'red',
    reasons: [reason],
    caseStatus: { status: 'confirmed', isCase: true, at: '2026-11-30T00:00:00.000Z' },
  };
  assert.equal(signature(base), signature({ ...base, reasons: [{ ...reason, text: '另一种说法' }] }));
  assert.notEqual(signature(base), signature({ ...base, colour: 'yellow' }));
  assert.notEqual(
    signature(base),
    signature({
      ...base,
      reasons: [{ ...reason, evidence: { source: 'status', batchId: 'e2', record: 0 } }],
    }),
  );
  assert.notEqual(signature(base), signature({ ...base, caseStatus: { status: 'cleared', isCase: false } }));
});
