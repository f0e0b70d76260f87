/**
 * The identity parsers that take outside input (issue 17: property tests on every parser) — documents (ID card
 * numbers and passports, with nationality), names, phones and the identities import's NDJSON lines: any text is
 * either parsed or refused with a coded error naming its field, never thrown. The ID card number and the MRZ have
 * their own properties (id-card.domain.test.ts, mrz.domain.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ERRORS } from '../../src/errors/registry.ts';
import {
  DOCUMENT_TYPES,
  normaliseName,
  normalisePhone,
  parseDocument,
} from '../../src/identity/document.domain.ts';
import { parseIdentityLine } from '../../src/identity/identities.import.ts';
import { parsePassport } from '../../src/identity/passport.domain.ts';

const TODAY = '2026-11-27';
const isCode = (code: string) => Object.hasOwn(ERRORS, code);
const text = fc.oneof(
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.string({ maxLength: 20 }),
  fc.stringMatching(/^[A-Z0-9<+ -]{0,20}$/),
);

test('property: documents, names and phones from any text: parsed, or a coded error at the field', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...DOCUMENT_TYPES),
      text,
      fc.option(text, { nil: undefined }),
      (type, n, nat) => {
        const doc = parseDocument(type, n, nat, TODAY);
        if (!doc.ok) {
          assert.ok(isCode(doc.code), doc.code);
          assert.ok(doc.field.length > 0);
        }
        const passport = parsePassport(n, nat ?? '');
        if (!passport.ok) assert.ok(isCode(passport.code), passport.code);
        for (const r of [normaliseName(n), normalisePhone(n)]) if (!r.ok) assert.ok(isCode(r.code), r.code);
      },
    ),
    { numRuns: 3000 },
  );
});

test('property: an identities import line from any text or JSON: a person, or a rejected line with a code', () => {
  const member = fc.oneof(
    fc.jsonValue({ maxDepth: 1 }),
    fc.constantFrom('id_card', 'passport', '11010519491231002X', 'CHN', '张三', '13800138000'),
  );
  const line = fc.oneof(
    fc.string({ maxLength: 60, unit: 'binary' }),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    fc
      .record(
        {
          documentType: member,
          documentNumber: member,
          nationality: member,
          name: member,
          phone: member,
          extra: member,
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  );
  fc.assert(
    fc.property(line, (l) => {
      const r = parseIdentityLine(l, 7, TODAY);
      if ('code' in r) {
        assert.equal(r.line, 7);
        assert.ok(isCode(r.code), r.code);
      } else assert.ok(r.name.length > 0);
    }),
    { numRuns: 3000 },
  );
});
