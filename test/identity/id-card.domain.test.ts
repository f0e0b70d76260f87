import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { idCardCheckChar, parseIdCardNumber } from '../../src/identity/id-card.domain.ts';

const TODAY = '2026-11-27';

test('GB 11643 examples from the standard are valid', () => {
  const a = parseIdCardNumber('11010519491231002X', TODAY);
  assert.deepEqual(a, {
    ok: true,
    value: { number: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', sex: 'female' },
  });
  const b = parseIdCardNumber('440524188001010014', TODAY);
  assert.ok(b.ok);
  assert.equal(b.value.birthDate, '1880-01-01');
  assert.equal(b.value.sex, 'male');
});

test('a lower-case x is accepted and stored upper case', () => {
  const r = parseIdCardNumber('11010519491231002x', TODAY);
  assert.ok(r.ok);
  assert.equal(r.value.number, '11010519491231002X');
});

test('a changed check character is rejected', () => {
  for (const wrong of [
    '110105194912310021',
    '110105194912310020',
    '440524188001010015',
    '44052418800101001X',
  ]) {
    assert.deepEqual(parseIdCardNumber(wrong, TODAY), { ok: false, code: 'YMT_ERR_ID_NUMBER_CHECKSUM' });
  }
});

test('format, region and birth date are checked', () => {
  const cases: [string, string][] = [
    ['1101051949123100', 'YMT_ERR_ID_NUMBER_FORMAT'],
    ['11010519491231002Y', 'YMT_ERR_ID_NUMBER_FORMAT'],
    ['1101051949123100２X', 'YMT_ERR_ID_NUMBER_FORMAT'],
    [`990105194912310020`, 'YMT_ERR_ID_NUMBER_REGION'],
    [`710105194912310020`, 'YMT_ERR_ID_NUMBER_REGION'],
    ['110105194902300020', 'YMT_ERR_ID_NUMBER_BIRTH_DATE'],
    ['110105194913010020', 'YMT_ERR_ID_NUMBER_BIRTH_DATE'],
    ['110105203001010020', 'YMT_ERR_ID_NUMBER_BIRTH_DATE'],
    ['110105202611280020', 'YMT_ERR_ID_NUMBER_BIRTH_DATE'],
    ['110105180001010020', 'YMT_ERR_ID_NUMBER_BIRTH_DATE'],
  ];
  for (const [input, code] of cases) {
    const r = parseIdCardNumber(input, TODAY);
    assert.equal(r.ok ? 'ok' : r.code, code, input);
  }
});

test('born today is valid; the 29th of February only in leap years', () => {
  assert.ok(parseIdCardNumber(`11010520261127002` + idCardCheckChar('11010520261127002'), TODAY).ok);
  assert.ok(parseIdCardNumber(`11010520000229002` + idCardCheckChar('11010520000229002'), TODAY).ok);
  const r = parseIdCardNumber(`11010519000229002` + idCardCheckChar('11010519000229002'), TODAY);
  assert.equal(r.ok ? 'ok' : r.code, 'YMT_ERR_ID_NUMBER_BIRTH_DATE');
});

test('residence permits of Hong Kong, Macao and Taiwan residents (81/82/83) are accepted', () => {
  for (const prefix of ['810000', '820000', '830000']) {
    const first17 = `${prefix}19900101001`;
    assert.ok(parseIdCardNumber(first17 + idCardCheckChar(first17), TODAY).ok, prefix);
  }
});

const validFirst17 = fc
  .record({
    region: fc.constantFrom('110105', '440305', '650102', '310115', '830000'),
    date: fc.date({ min: new Date('1900-01-01'), max: new Date('2026-11-26'), noInvalidDate: true }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(
    ({ region, date, seq }) =>
      region + date.toISOString().slice(0, 10).replace(/-/g, '') + String(seq).padStart(3, '0'),
  );

test('property: every generated number is valid and its sex follows the sequence parity', () => {
  fc.assert(
    fc.property(validFirst17, (first17) => {
      const r = parseIdCardNumber(first17 + idCardCheckChar(first17), TODAY);
      assert.ok(r.ok);
      assert.equal(r.value.sex, Number(first17[16]) % 2 === 1 ? 'male' : 'female');
    }),
  );
});

test('property: MOD 11-2 catches every single-digit substitution', () => {
  fc.assert(
    fc.property(
      validFirst17,
      fc.integer({ min: 0, max: 16 }),
      fc.integer({ min: 1, max: 9 }),
      (first17, pos, delta) => {
        const number = first17 + idCardCheckChar(first17);
        const digit = (Number(number[pos]) + delta) % 10;
        const changed = number.slice(0, pos) + String(digit) + number.slice(pos + 1);
        const r = parseIdCardNumber(changed, TODAY);
        assert.equal(r.ok, false);
      },
    ),
  );
});
