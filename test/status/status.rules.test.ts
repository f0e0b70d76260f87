import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  combineStatus,
  declarationFindings,
  entryFindings,
  type StatusEntry,
} from '../../src/status/status.rules.ts';

const healthy = { temperature: 36.5, symptoms: [], contactWithCases: false };

test('no finding is green with one reason', () => {
  const s = combineStatus(declarationFindings(healthy));
  assert.equal(s.colour, 'green');
  assert.deepEqual(
    s.reasons.map((r) => r.code),
    ['NO_ABNORMALITY'],
  );
});

test('fever from 37.3 °C; the threshold is a parameter', () => {
  assert.deepEqual(declarationFindings({ ...healthy, temperature: 37.2 }), []);
  assert.equal(declarationFindings({ ...healthy, temperature: 37.3 })[0]?.code, 'DECLARED_FEVER');
  assert.deepEqual(declarationFindings({ ...healthy, temperature: 37.3 }, { feverThreshold: 37.5 }), []);
});

test('the worst colour wins and red reasons come first', () => {
  const entry: StatusEntry = {
    colour: 'red',
    reasonCode: 'CASE_CONFIRMED',
    reasonText: '确诊',
    reasonTextEn: 'Confirmed',
    source: 'health',
    validFrom: 0,
    validUntil: 1000,
  };
  const s = combineStatus([
    ...declarationFindings({ ...healthy, symptoms: ['咳嗽'] }),
    ...entryFindings([entry], 500),
  ]);
  assert.equal(s.colour, 'red');
  assert.deepEqual(
    s.reasons.map((r) => r.code),
    ['CASE_CONFIRMED', 'DECLARED_SYMPTOMS'],
  );
  assert.deepEqual(entryFindings([entry], 1000), [], 'validUntil is exclusive');
  assert.deepEqual(entryFindings([{ ...entry, validFrom: 600 }], 500), [], 'not yet in force');
});
