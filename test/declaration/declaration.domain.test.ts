import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changedIdentityFields, validateDeclaration } from '../../src/declaration/declaration.domain.ts';
import { HEALTHY_DECLARATION } from '../helpers/people.ts';

const base = { ...HEALTHY_DECLARATION, phone: '13912345678' };

function problems(input: Record<string, unknown>): Record<string, string> {
  const r = validateDeclaration(input, '2026-11-27');
  return r.ok ? {} : Object.fromEntries(r.problems.map((p) => [p.field, p.code]));
}

test('a complete declaration is normalised', () => {
  const r = validateDeclaration(
    {
      ...base,
      phone: '+86 139 1234 5678',
      temperature: 36.66,
      symptoms: ['咳嗽', '咳嗽', ' 乏力 '],
    },
    '2026-11-27',
  );
  assert.ok(r.ok);
  assert.equal(r.value.phone, '13912345678');
  assert.equal(r.value.temperature, 36.7);
  assert.deepEqual(r.value.symptoms, ['咳嗽', '乏力']);
  assert.equal(r.value.sex, 'unspecified');
});

test('each field is checked', () => {
  assert.deepEqual(problems({ ...base, phone: '12345' }), { phone: 'YMT_ERR_PHONE_FORMAT' });
  assert.deepEqual(problems({ ...base, phone: undefined }), { phone: 'YMT_ERR_PHONE_FORMAT' });
  assert.deepEqual(problems({ ...base, householdRegion: '4403' }), { householdRegion: 'YMT_ERR_VALIDATION' });
  assert.deepEqual(problems({ ...base, householdRegion: '449999' }), {
    householdRegion: 'YMT_ERR_REGION_UNKNOWN',
  });
  assert.deepEqual(problems({ ...base, temperature: 33.9 }), { temperature: 'YMT_ERR_TEMPERATURE_RANGE' });
  assert.deepEqual(problems({ ...base, temperature: Number.NaN }), { temperature: 'YMT_ERR_VALIDATION' });
  assert.deepEqual(problems({ ...base, address: 'a\u0007b' }), { address: 'YMT_ERR_VALIDATION' });
  assert.deepEqual(problems({ ...base, address: 'x'.repeat(201) }), { address: 'YMT_ERR_VALIDATION' });
  assert.deepEqual(problems({ ...base, underlyingConditions: 5 }), {
    underlyingConditions: 'YMT_ERR_VALIDATION',
  });
  assert.deepEqual(problems({ ...base, sex: 'x' }), { sex: 'YMT_ERR_VALIDATION' });
  assert.deepEqual(problems({ ...base, contactWithCases: 'no' }), { contactWithCases: 'YMT_ERR_VALIDATION' });
  assert.deepEqual(problems({ ...base, symptoms: 'cough' }), { symptoms: 'YMT_ERR_VALIDATION' });
  assert.deepEqual(problems({ ...base, recentCities: ['440000'] }), {
    'recentCities[0]': 'YMT_ERR_REGION_UNKNOWN',
  });
  assert.deepEqual(problems({ ...base, recentCities: ['110000', '659001', '440305'] }), {});
});

test('the temperature range is inclusive', () => {
  assert.ok(validateDeclaration({ ...base, temperature: 34 }, '2026-11-27').ok);
  assert.ok(validateDeclaration({ ...base, temperature: 43 }, '2026-11-27').ok);
});

test('identity fields: absent or equal is no change', () => {
  const identity = {
    name: '张小三',
    documentType: 'id_card',
    documentNumber: '11010519491231002X',
    phone: '13912345678',
  };
  const same = (s: string) => s.trim();
  assert.deepEqual(changedIdentityFields({}, identity, same), []);
  assert.deepEqual(
    changedIdentityFields(
      { name: ' 张小三 ', documentNumber: '11010519491231002x', phone: '+8613912345678' },
      identity,
      same,
    ),
    [],
  );
  assert.deepEqual(changedIdentityFields({ documentType: 'passport', phone: 5 }, identity, same), [
    'documentType',
    'phone',
  ]);
});
