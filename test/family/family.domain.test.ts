import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ageOn, decideProxy, mayDependantEnd } from '../../src/family/family.domain.ts';
import { idNumber } from '../helpers/people.ts';

const card = (first17: string) => ({ type: 'id_card', number: idNumber(first17) });
const BORN_2008_12_01 = card('11010520081201123');
const ADULT = card('11010519800101123');
const PASSPORT = { type: 'passport', number: 'E12345678' };

describe('family: age, consent, ending', () => {
  test('age turns on the birthday, in whole years; a passport tells none', () => {
    assert.equal(ageOn(BORN_2008_12_01, '2026-11-30'), 17);
    assert.equal(ageOn(BORN_2008_12_01, '2026-12-01'), 18);
    assert.equal(ageOn(PASSPORT, '2026-12-01'), undefined);
  });

  test('a minor needs a guardian’s relationship; an adult rests on attestation; a minor holder acts for none', () => {
    assert.deepEqual(decideProxy(ADULT, BORN_2008_12_01, 'child', '2026-11-30'), {
      ok: true,
      consent: 'guardian',
    });
    assert.deepEqual(decideProxy(ADULT, BORN_2008_12_01, 'spouse', '2026-11-30'), {
      ok: false,
      code: 'YMT_ERR_DEPENDANT_RELATIONSHIP',
    });
    assert.deepEqual(decideProxy(ADULT, BORN_2008_12_01, 'spouse', '2026-12-01'), {
      ok: true,
      consent: 'attested',
    });
    assert.deepEqual(decideProxy(BORN_2008_12_01, ADULT, 'parent', '2026-11-30'), {
      ok: false,
      code: 'YMT_ERR_PROXY_HOLDER_MINOR',
    });
    assert.deepEqual(decideProxy(ADULT, PASSPORT, 'ward', '2026-11-30'), { ok: true, consent: 'guardian' });
    assert.deepEqual(decideProxy(ADULT, PASSPORT, 'parent', '2026-11-30'), { ok: true, consent: 'attested' });
  });

  test('a minor ends a guardian’s link from their 18th birthday; an attested link at any time', () => {
    assert.equal(mayDependantEnd('guardian', BORN_2008_12_01, '2026-11-30'), false);
    assert.equal(mayDependantEnd('guardian', BORN_2008_12_01, '2026-12-01'), true);
    assert.equal(mayDependantEnd('attested', BORN_2008_12_01, '2026-11-30'), true);
    assert.equal(mayDependantEnd('guardian', PASSPORT, '2026-11-30'), true);
  });
});
