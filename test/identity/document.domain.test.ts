import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  documentKey,
  normaliseName,
  normalisePhone,
  parseDocument,
} from '../../src/identity/document.domain.ts';
import { parsePassport } from '../../src/identity/passport.domain.ts';
import { isCountryAlpha3 } from '../../src/regions/regions.ts';

test('passports need an ISO 3166-1 alpha-3 nationality', () => {
  assert.deepEqual(parsePassport('123456789', 'gbr'), {
    ok: true,
    value: { number: '123456789', nationality: 'GBR' },
  });
  assert.deepEqual(parsePassport('123456789', 'GB'), { ok: false, code: 'YMT_ERR_NATIONALITY' });
  assert.deepEqual(parsePassport('123456789', 'XYZ'), { ok: false, code: 'YMT_ERR_NATIONALITY' });
  assert.deepEqual(parsePassport('12 34', 'USA'), { ok: false, code: 'YMT_ERR_PASSPORT_FORMAT' });
});

test('PRC ordinary passports follow the E/G number formats', () => {
  for (const ok of ['E12345678', 'EA1234567', 'G12345678', 'e12345678'])
    assert.ok(parsePassport(ok, 'CHN').ok, ok);
  for (const bad of ['E1234567', 'X12345678', 'EI1234567', '123456789']) {
    assert.deepEqual(parsePassport(bad, 'CHN'), { ok: false, code: 'YMT_ERR_PASSPORT_FORMAT' }, bad);
  }
});

test('parseDocument reports the field at fault', () => {
  assert.deepEqual(parseDocument('passport', 'E12345678', 'ZZZ', '2026-11-27'), {
    ok: false,
    code: 'YMT_ERR_NATIONALITY',
    field: 'nationality',
  });
  assert.deepEqual(parseDocument('id_card', '123', undefined, '2026-11-27'), {
    ok: false,
    code: 'YMT_ERR_ID_NUMBER_FORMAT',
    field: 'documentNumber',
  });
  const id = parseDocument('id_card', '11010519491231002x', undefined, '2026-11-27');
  assert.ok(id.ok);
  assert.equal(id.value.nationality, 'CHN');
  assert.equal(documentKey(id.value), 'id_card:11010519491231002X');
});

test('a passport number is keyed with its nationality: two states may issue the same number', () => {
  const a = parseDocument('passport', '123456789', 'GBR', '2026-11-27');
  const b = parseDocument('passport', '123456789', 'USA', '2026-11-27');
  assert.ok(a.ok && b.ok);
  assert.notEqual(documentKey(a.value), documentKey(b.value));
});

test('names are normalised and checked', () => {
  assert.deepEqual(normaliseName('  张 三 '), { ok: true, value: '张 三' });
  assert.deepEqual(normaliseName('john  smith'), { ok: true, value: 'JOHN SMITH' });
  assert.deepEqual(normaliseName('阿卜杜•热合曼'), { ok: true, value: '阿卜杜·热合曼' });
  for (const bad of ['', '   ', '张3', 'Robert); DROP', 'x'.repeat(65), '\u0000abc']) {
    assert.equal(normaliseName(bad).ok, false, JSON.stringify(bad));
  }
});

test('phones: mainland mobiles and E.164 numbers', () => {
  assert.deepEqual(normalisePhone('+86 139-1234-5678'), { ok: true, value: '13912345678' });
  assert.deepEqual(normalisePhone('+447700900123'), { ok: true, value: '+447700900123' });
  for (const bad of ['12912345678', '1391234567', '+0123456789', 'phone', '']) {
    assert.equal(normalisePhone(bad).ok, false, bad);
  }
});

test('a nationality beside an ID number is ISO 3166-1 alpha-3 too: "XXX" is refused, not ignored', () => {
  const id = '11010519491231002X';
  for (const bad of ['XXX', 'XXA', 'XXB', 'D', 'ZZZ', 'CN'])
    assert.deepEqual(
      parseDocument('id_card', id, bad, '2026-11-27'),
      { ok: false, code: 'YMT_ERR_NATIONALITY', field: 'nationality' },
      bad,
    );
  for (const [given, kept] of [
    [undefined, 'CHN'],
    ['', 'CHN'],
    ['chn', 'CHN'],
    ['HKG', 'HKG'],
  ] as const) {
    const r = parseDocument('id_card', id, given, '2026-11-27');
    assert.ok(r.ok && r.value.nationality === kept, String(given));
  }
});

test('the ISO 3166-1 alpha-3 list: well-known codes in, ICAO-only and made-up codes out', () => {
  for (const code of [
    'CHN',
    'HKG',
    'MAC',
    'TWN',
    'DEU',
    'GBR',
    'USA',
    'FRA',
    'JPN',
    'KOR',
    'RUS',
    'IND',
    'BRA',
    'ZAF',
    'AUS',
  ])
    assert.ok(isCountryAlpha3(code), code);
  // ICAO Doc 9303's codes that are not states (stateless, refugees, the UN, British nationals of other kinds),
  // Germany's "D", and codes nobody uses.
  for (const code of ['XXX', 'XXA', 'XXB', 'XXC', 'UNO', 'UNA', 'GBD', 'GBN', 'D', 'DE', 'chn', 'ZZZ', ''])
    assert.ok(!isCountryAlpha3(code), code);
});
