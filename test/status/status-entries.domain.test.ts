/**
 * Status entries' pure rules: the kinds table (data, validated with every problem's path), an operator's input field
 * by field, and the case status derived from the findings' records (case-status.domain.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import kindsDocument from '../../src/status/status-entry-kinds.json' with { type: 'json' };
import { caseStatusOf, type CaseRecords } from '../../src/status/case-status.domain.ts';
import {
  ENTRY_KINDS,
  loadEntryKinds,
  parseEntryInput,
  type StatusEntryInput,
} from '../../src/status/status-entries.domain.ts';
import type { StatusReason } from '../../src/status/status.domain.ts';
import { ALICE } from '../helpers/people.ts';

const now = new Date('2026-11-22T10:00:00+08:00');

test('the shipped kinds: each a case status, its colour, both texts; the baseline’s codes', () => {
  assert.ok(loadEntryKinds(kindsDocument).ok);
  assert.deepEqual(
    ENTRY_KINDS.map((k) => [k.code, k.caseStatus, k.colour]),
    [
      ['CASE_CONFIRMED', 'confirmed', 'red'],
      ['CASE_SUSPECTED', 'suspected', 'red'],
      ['CASE_ASYMPTOMATIC', 'asymptomatic', 'red'],
      ['CLOSE_CONTACT_OBSERVED', 'close_contact', 'red'],
    ],
  );
});

test('a bad kinds table is refused with every problem as data', () => {
  const r = loadEntryKinds({
    kinds: [
      { code: 'lower', caseStatus: 'cleared', colour: 'green', text: 'no Chinese', textEn: '中文' },
      { code: 'CASE_CONFIRMED', caseStatus: null, colour: 'red', text: '确诊', textEn: 'Confirmed' },
      { code: 'CASE_CONFIRMED', caseStatus: null, colour: 'red', text: '确诊', textEn: 'Confirmed' },
      'not a kind',
    ],
  });
  assert.ok(!r.ok);
  assert.deepEqual(
    r.problems.map((p) => p.path),
    [
      'kinds[0].code',
      'kinds[0].caseStatus',
      'kinds[0].colour',
      'kinds[0].text',
      'kinds[0].textEn',
      'kinds[2].code',
      'kinds[3]',
    ],
  );
  assert.deepEqual(loadEntryKinds({ kinds: [] }), {
    ok: false,
    problems: [{ path: 'kinds', message: 'a non-empty array of kinds' }],
  });
});

test("an operator's input, field by field: the first problem with its code", () => {
  const good: StatusEntryInput = {
    documentType: 'id_card',
    documentNumber: ALICE.documentNumber,
    kind: 'CASE_CONFIRMED',
    reason: ' 流调核实 ',
  };
  const parsed = parseEntryInput(good, now);
  assert.ok(parsed.ok);
  assert.deepEqual(
    [parsed.value.doc.nationality, parsed.value.kind.code, parsed.value.until, parsed.value.reason],
    ['CHN', 'CASE_CONFIRMED', null, '流调核实'],
  );
  const until = parseEntryInput({ ...good, until: '2026-11-29T10:00:00+08:00' }, now);
  assert.equal(until.ok && until.value.until, Date.parse('2026-11-29T02:00:00Z'));
  const problem = (over: Partial<StatusEntryInput>) => {
    const r = parseEntryInput({ ...good, ...over }, now);
    return r.ok ? 'ok' : `${r.field} ${r.code}`;
  };
  assert.equal(problem({ documentType: 'visa' }), 'documentType YMT_ERR_VALIDATION');
  assert.equal(problem({ documentNumber: '12345' }), 'documentNumber YMT_ERR_ID_NUMBER_FORMAT');
  assert.equal(
    problem({ documentType: 'passport', documentNumber: 'E1234567' }),
    'nationality YMT_ERR_NATIONALITY',
  );
  assert.equal(problem({ documentType: 'passport', documentNumber: 'E12345678', nationality: 'GBR' }), 'ok');
  assert.equal(problem({ kind: 'case_confirmed' }), 'kind YMT_ERR_STATUS_ENTRY_KIND');
  assert.equal(problem({ until: '2026-11-29' }), 'until YMT_ERR_STATUS_ENTRY_UNTIL');
  assert.equal(problem({ until: now.toISOString() }), 'until YMT_ERR_STATUS_ENTRY_UNTIL');
  assert.equal(problem({ reason: '' }), 'reason YMT_ERR_VALIDATION');
  assert.equal(problem({ reason: '因'.repeat(201) }), 'reason YMT_ERR_VALIDATION');
  assert.equal(problem({ reason: '因'.repeat(200) }), 'ok');
});

test('the case status comes from the findings’ records: the most serious, with the reason’s own evidence', () => {
  const reason = (code: string, source: string, batchId: string, record: number): StatusReason => ({
    code,
    colour: 'red',
    text: code,
    textEn: code,
    evidence: { source, batchId, record },
  });
  const records: CaseRecords = {
    healthEvents: [
      {
        status: 'close_contact',
        at: '2026-11-20T00:00:00.000Z',
        evidence: { source: 'health', batchId: 'h', record: 1 },
      },
      {
        status: 'cleared',
        at: '2026-11-21T00:00:00.000Z',
        evidence: { source: 'health', batchId: 'h', record: 2 },
      },
    ],
    entries: new Map([
      ['e-1', { caseStatus: 'suspected', validFrom: Date.parse('2026-11-21T12:00:00Z') }],
      ['e-2', { caseStatus: null, validFrom: 0 }],
    ]),
  };
  const contact = reason('CLOSE_CONTACT_OBSERVED', 'health', 'h', 1);
  const suspected = reason('CASE_SUSPECTED', 'status', 'e-1', 0);
  assert.deepEqual(caseStatusOf([contact, suspected], records), {
    status: 'suspected',
    isCase: true,
    at: '2026-11-21T12:00:00.000Z',
    evidence: suspected.evidence,
  });
  assert.deepEqual(caseStatusOf([contact], records), {
    status: 'close_contact',
    isCase: false,
    at: '2026-11-20T00:00:00.000Z',
    evidence: contact.evidence,
  });
  // No finding carries one: the latest health event cleared the holder.
  assert.deepEqual(caseStatusOf([reason('X', 'status', 'e-2', 0), reason('Y', 'telecom', 't', 1)], records), {
    status: 'cleared',
    isCase: false,
    at: '2026-11-21T00:00:00.000Z',
    evidence: { source: 'health', batchId: 'h', record: 2 },
  });
  assert.deepEqual(caseStatusOf([], { healthEvents: [], entries: new Map() }), {
    status: 'none',
    isCase: false,
  });
  // A health event no rule turned into a finding is no case status.
  assert.deepEqual(caseStatusOf([], { ...records, healthEvents: records.healthEvents.slice(0, 1) }), {
    status: 'none',
    isCase: false,
  });
});
