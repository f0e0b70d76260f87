import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  combineStatus,
  entryFindings,
  type StatusEntry,
  type StatusReason,
} from '../../src/status/status.domain.ts';

const entry: StatusEntry = {
  entryId: 'e-1',
  colour: 'red',
  reasonCode: 'CASE_CONFIRMED',
  reasonText: '确诊',
  reasonTextEn: 'Confirmed',
  validFrom: 0,
  validUntil: 1000,
};
const symptoms: StatusReason = {
  code: 'DECLARED_SYMPTOMS',
  colour: 'yellow',
  text: '症状',
  textEn: 'Symptoms',
  evidence: { source: 'declaration', batchId: 'declaration', record: 1 },
};

test('no finding is green with one reason', () => {
  const s = combineStatus([]);
  assert.equal(s.colour, 'green');
  assert.deepEqual(
    s.reasons.map((r) => r.code),
    ['NO_ABNORMALITY'],
  );
});

test('the worst colour wins and red reasons come first', () => {
  const s = combineStatus([symptoms, ...entryFindings([entry], 500)]);
  assert.equal(s.colour, 'red');
  assert.deepEqual(
    s.reasons.map((r) => r.code),
    ['CASE_CONFIRMED', 'DECLARED_SYMPTOMS'],
  );
});

test('status entries count only while in force', () => {
  assert.deepEqual(entryFindings([entry], 1000), [], 'validUntil is exclusive');
  assert.deepEqual(entryFindings([{ ...entry, validFrom: 600 }], 500), [], 'not yet in force');
  assert.deepEqual(
    entryFindings([{ ...entry, validUntil: null }], 5000).map((r) => r.evidence),
    [{ source: 'status', batchId: 'e-1', record: 0 }],
    'the evidence names the entry',
  );
});
