/**
 * The one text rule (src/text/text.domain.ts): examples of each refusal, the emoji ZWJ exception, field names, and
 * properties — any string is accepted or refused with one of the four codes, never thrown; clean text passes
 * unchanged; one forbidden character anywhere in it is refused with its code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  FIELD_NAME_RULE,
  printableFieldName,
  TEXT_ERRORS,
  textError,
  type TextRule,
} from '../../src/text/text.domain.ts';

/** A string as JSON writes it: control characters and lone surrogates as \\u escapes. */
const show = (s: string): string => JSON.stringify(s);

const LINE: TextRule = { kind: 'line', maxLength: 100 };
const MULTI: TextRule = { kind: 'multiline', maxLength: 100 };

test('control characters: C0, DEL, C1, line separators; \\n and \\t only in multi-line fields', () => {
  for (const c of ['\u0000', '\u0001', '\u001b', '\r', '\u007f', '\u0085', '\u009f', '\u2028', '\u2029'])
    for (const rule of [LINE, MULTI])
      assert.equal(textError(`a${c}b`, rule), 'YMT_ERR_TEXT_CONTROL', show(c));
  assert.equal(textError('a\nb', LINE), 'YMT_ERR_TEXT_CONTROL');
  assert.equal(textError('a\tb', LINE), 'YMT_ERR_TEXT_CONTROL');
  assert.equal(textError('第一行\n\t第二行', MULTI), undefined);
});

test('format characters (Cf): bidi controls, zero-width characters, BOM, tags are refused', () => {
  for (const c of [
    '\u202e',
    '\u202d',
    '\u2066',
    '\u200b',
    '\u200c',
    '\u200e',
    '\u2060',
    '\ufeff',
    '\u00ad',
    '\u{e0041}',
  ])
    assert.equal(textError(`x${c}y`, LINE), 'YMT_ERR_TEXT_INVISIBLE', show(c));
});

test('the zero-width joiner passes between two emoji only', () => {
  for (const ok of ['👨‍👩‍👧', '👩🏽‍⚕️', '🏳️‍🌈', '卫健委 👩‍⚕️']) assert.equal(textError(ok, LINE), undefined, ok);
  for (const bad of ['a\u200db', '\u200d', '👩\u200d', '\u200d👩', '👩\u200d\u200d👩'])
    assert.equal(textError(bad, LINE), 'YMT_ERR_TEXT_INVISIBLE', show(bad));
});

test('lone surrogates and noncharacters are refused; pairs and every script pass', () => {
  for (const bad of [
    '\ud800',
    'a\udc00',
    '\udc00\ud800',
    'x\ud83d',
    '\ufdd0',
    '\ufffe',
    '\uffff',
    '\u{1fffe}',
    '\u{10ffff}',
  ])
    assert.equal(textError(bad, LINE), 'YMT_ERR_TEXT_ENCODING', show(bad));
  for (const ok of ['张伟', 'Ouyang Nana', 'Zoë', 'ئۇيغۇرچە', '𠀋𡈽', 'Ἀθῆναι', '😀', '\ue000'])
    assert.equal(textError(ok, LINE), undefined, ok);
});

test('length in code points', () => {
  assert.equal(textError('𠀋'.repeat(3), { kind: 'line', maxLength: 3 }), undefined);
  assert.equal(textError('𠀋'.repeat(4), { kind: 'line', maxLength: 3 }), 'YMT_ERR_TEXT_TOO_LONG');
});

test('a refused field name is reported escaped and cut; a clean one as it is', () => {
  assert.equal(printableFieldName('status'), 'status');
  assert.equal(printableFieldName('x\u0000y'), 'x\\u0000y');
  assert.equal(printableFieldName('\u202e'), '\\u202e');
  assert.equal(printableFieldName('\ud800'), '\\ud800');
  assert.equal(Array.from(printableFieldName('\u0000'.repeat(100))).length, FIELD_NAME_RULE.maxLength);
});

const ANY = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)), maxLength: 30 }),
);

test('property: any string is accepted or refused with one of the four codes, never thrown', () => {
  fc.assert(
    fc.property(ANY, fc.constantFrom(LINE, MULTI, { kind: 'line', maxLength: 5 } as const), (s, rule) => {
      const code = textError(s, rule);
      assert.ok(code === undefined || (TEXT_ERRORS as readonly string[]).includes(code));
      if (code === undefined) assert.ok(Array.from(s).length <= rule.maxLength);
    }),
  );
});

test('property: printable letters, digits and punctuation pass; one forbidden character anywhere is refused with its code', () => {
  const clean = fc.string({
    unit: fc.constantFrom(...Array.from('abcXYZ019 ,.;:!?-_()中国卫健委张伟αβγ😀')),
    maxLength: 40,
  });
  const forbidden = fc.constantFrom(
    ['\u0000', 'YMT_ERR_TEXT_CONTROL'],
    ['\u0007', 'YMT_ERR_TEXT_CONTROL'],
    ['\u0085', 'YMT_ERR_TEXT_CONTROL'],
    ['\u202e', 'YMT_ERR_TEXT_INVISIBLE'],
    ['\u200b', 'YMT_ERR_TEXT_INVISIBLE'],
    ['\ufeff', 'YMT_ERR_TEXT_INVISIBLE'],
    ['\ud800', 'YMT_ERR_TEXT_ENCODING'],
    ['\udfff', 'YMT_ERR_TEXT_ENCODING'],
    ['\ufdd5', 'YMT_ERR_TEXT_ENCODING'],
  );
  fc.assert(
    fc.property(clean, clean, forbidden, (a, b, [c, code]) => {
      assert.equal(textError(a + b, MULTI), undefined);
      // A lone high surrogate right before an astral character's pair would not be alone: keep it apart.
      const s = `${a} ${c} ${b}`;
      assert.equal(textError(s, { kind: 'multiline', maxLength: 200 }), code, show(s));
    }),
  );
});

test('property: printableFieldName gives a clean name of at most 64 code points, itself for a clean one', () => {
  fc.assert(
    fc.property(ANY, (s) => {
      const p = printableFieldName(s);
      assert.equal(textError(p, FIELD_NAME_RULE), undefined, show(p));
      assert.equal(printableFieldName(p), p);
      if (textError(s, FIELD_NAME_RULE) === undefined) assert.equal(p, s);
    }),
  );
});
