/** ICAO Doc 9303 TD3 machine-readable zones: the specimen of Part 4, a property over made-up passports. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkDigit, mrzNames, parseMrz } from '../../src/identity/mrz.domain.ts';

// Doc 9303 Part 4, Appendix A: the specimen passport of Utopia.
const SPECIMEN = [
  'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
  'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
];

test('the ICAO specimen reads, with its five check digits', () => {
  const r = parseMrz(SPECIMEN.join('\n'));
  assert.deepEqual(r, {
    ok: true,
    value: {
      documentNumber: 'L898902C3',
      issuingState: 'UTO',
      nationality: 'UTO',
      birthDate: '740812',
      sex: 'F',
      expiryDate: '120415',
    },
  });
  // Run together, in lower case, with spaces: the same.
  assert.deepEqual(parseMrz(` ${SPECIMEN.join('').toLowerCase()} `), r);
  assert.deepEqual(
    [checkDigit('L898902C3'), checkDigit('740812'), checkDigit('120415'), checkDigit('ZE184226B<<<<<')],
    ['6', '2', '9', '1'],
  );
});

test('each check digit is checked; the format is checked', () => {
  const second = SPECIMEN[1] ?? '';
  for (const at of [9, 19, 27, 42, 43]) {
    const wrong = second.slice(0, at) + String((Number(second.charAt(at)) + 1) % 10) + second.slice(at + 1);
    assert.deepEqual(
      parseMrz(`${SPECIMEN[0] ?? ''}\n${wrong}`),
      { ok: false, code: 'YMT_ERR_MRZ_CHECK_DIGIT' },
      `${at}`,
    );
  }
  for (const bad of [
    SPECIMEN[0] ?? '',
    `${SPECIMEN[0] ?? ''}\n${second.slice(1)}`,
    `I${SPECIMEN.join('\n').slice(1)}`,
  ])
    assert.deepEqual(parseMrz(bad), { ok: false, code: 'YMT_ERR_MRZ_FORMAT' });
});

test('the zone names its passport: number (first nine) and nationality', () => {
  const r = parseMrz(SPECIMEN.join('\n'));
  assert.ok(r.ok);
  assert.equal(mrzNames(r.value, { number: 'L898902C3', nationality: 'UTO' }), true);
  assert.equal(mrzNames(r.value, { number: 'L898902C4', nationality: 'UTO' }), false);
  assert.equal(mrzNames(r.value, { number: 'L898902C3', nationality: 'GBR' }), false);
});

const MRZ_CHAR = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));
const field = (n: number) => fc.array(MRZ_CHAR, { minLength: n, maxLength: n }).map((a) => a.join(''));
const date = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => [y, m, d].map((n) => String(n).padStart(2, '0')).join(''));

test('property: a zone made by the rules reads back; any one character changed in a checked field does not', () => {
  fc.assert(
    fc.property(
      field(9),
      field(3),
      date,
      date,
      field(14),
      fc.nat(),
      (number, nat, birth, expiry, personal, pick) => {
        const head = `${number}${checkDigit(number)}${nat}${birth}${checkDigit(birth)}M${expiry}${checkDigit(expiry)}`;
        const body = `${head}${personal}${checkDigit(personal)}`;
        const composite = body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43);
        const second = `${body}${checkDigit(composite)}`;
        const first = `P<${nat}${'SMITH<<JOHN'.padEnd(39, '<')}`;
        const read = parseMrz(`${first}\n${second}`);
        assert.ok(read.ok);
        assert.deepEqual([read.value.documentNumber, read.value.nationality], [number, nat]);
        // A character changed by one (a digit to the next, a letter to the next) in the number, a date or the
        // personal number is caught by a check digit. (Not every change is: H is 17 and 7 is 7, and 7 × 10 ends in 0.)
        const positions = [
          ...Array(9).keys(),
          13,
          14,
          15,
          16,
          17,
          18,
          21,
          22,
          23,
          24,
          25,
          26,
          ...Array.from({ length: 14 }, (_, i) => 28 + i),
        ];
        const at = positions[pick % positions.length] ?? 0;
        const was = second.charAt(at);
        const alphabet = /\d/.test(was) ? '0123456789' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
        const now = alphabet.charAt((alphabet.indexOf(was) + 1) % alphabet.length);
        const changed = second.slice(0, at) + now + second.slice(at + 1);
        assert.deepEqual(parseMrz(`${first}\n${changed}`), { ok: false, code: 'YMT_ERR_MRZ_CHECK_DIGIT' });
      },
    ),
    { numRuns: 300 },
  );
});

test('ICAO writes Germany "D": read as DEU; the codes for no state (XXA, XXB, XXC) are kept and name no passport', () => {
  const german = SPECIMEN.map((l) => l.replace('UTO', 'D<<'));
  const r = parseMrz(german.join('\n'));
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual([r.value.issuingState, r.value.nationality], ['DEU', 'DEU']);
  assert.equal(mrzNames(r.value, { number: 'L898902C3', nationality: 'DEU' }), true);
  const stateless = parseMrz(SPECIMEN.map((l) => l.replace('UTO', 'XXA')).join('\n'));
  assert.ok(stateless.ok);
  assert.equal(stateless.value.nationality, 'XXA');
});
