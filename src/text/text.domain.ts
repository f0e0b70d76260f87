/**
 * The one text rule (docs/api.md#text): what any free text from outside may hold — a field of an HTTP body, query
 * or path, a string or a field name of a department feed, a line of a command's input. Pure.
 *
 * Refused, wherever the text comes from:
 * - control characters: C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F), and the line and paragraph separators
 *   U+2028/U+2029. A field declared multi-line (a report's answer, a correction's text) may hold line feeds (\n)
 *   and tabs (\t), nothing else of these: a carriage return is refused too (browsers give \n alone).
 * - format characters (Unicode general category Cf): the bidirectional controls (RLO U+202E, LRO, isolates…),
 *   zero-width space U+200B, zero-width non-joiner U+200C, word joiner, soft hyphen, BOM U+FEFF, tag characters…
 *   They are invisible and make a text read otherwise than it is. One exception: the zero-width joiner U+200D
 *   between two emoji (👨‍👩‍👧, an emoji ZWJ sequence; after the emoji's variation selector or skin tone too), where
 *   it is part of one visible picture; anywhere else it is refused.
 * - lone surrogates (a UTF-16 half without its other half: not Unicode text, and PostgreSQL refuses it) and the
 *   66 noncharacters (U+FDD0–U+FDEF and every U+xFFFE, U+xFFFF).
 * - more code points than the field's limit (code points, as JSON Schema's maxLength counts them).
 *
 * Letters of every script, emoji, private-use and not-yet-assigned code points pass: the rule keeps out what
 * cannot be shown or stored faithfully, not what an operator may not read.
 */

export const TEXT_ERRORS = [
  'YMT_ERR_TEXT_CONTROL',
  'YMT_ERR_TEXT_INVISIBLE',
  'YMT_ERR_TEXT_ENCODING',
  'YMT_ERR_TEXT_TOO_LONG',
] as const;
export type TextError = (typeof TEXT_ERRORS)[number];

/** `line`: one line (names, places, codes); `multiline`: free text that may hold \n and \t. */
export type TextKind = 'line' | 'multiline';

export interface TextRule {
  readonly kind: TextKind;
  /** In code points. */
  readonly maxLength: number;
}

/** What a field of an HTTP request that declares no limit of its own may hold (code points). */
export const DEFAULT_TEXT_MAX = 4000;
/** A field name (an object key) from outside: feed columns, JSON properties. */
export const FIELD_NAME_RULE: TextRule = { kind: 'line', maxLength: 64 };

const FORMAT = /\p{Cf}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const ZWJ = 0x200d;

function isNoncharacter(cp: number): boolean {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
}

function isControl(cp: number, kind: TextKind): boolean {
  if (cp === 0x0a || cp === 0x09) return kind === 'line';
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029;
}

/** The code point ending just before index `i` (a pair counted whole), or undefined. */
function codePointBefore(s: string, i: number): number | undefined {
  if (i <= 0) return undefined;
  const low = s.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = s.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return s.codePointAt(i - 2);
  }
  return low;
}

/** A ZWJ at index `i` joins two emoji: after an emoji (or its VS16 or skin tone), before an emoji. */
function joinsEmoji(s: string, i: number): boolean {
  const before = codePointBefore(s, i);
  const after = s.codePointAt(i + 1);
  if (before === undefined || after === undefined) return false;
  const left =
    PICTOGRAPHIC.test(String.fromCodePoint(before)) ||
    before === 0xfe0f ||
    (before >= 0x1f3fb && before <= 0x1f3ff);
  return left && PICTOGRAPHIC.test(String.fromCodePoint(after));
}

/** Why `value` breaks the rule, or undefined when it holds. Never throws. */
export function textError(value: string, rule: TextRule): TextError | undefined {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    let cp = unit;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return 'YMT_ERR_TEXT_ENCODING';
      cp = ((unit - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return 'YMT_ERR_TEXT_ENCODING';
    }
    if (isControl(cp, rule.kind)) return 'YMT_ERR_TEXT_CONTROL';
    if (isNoncharacter(cp)) return 'YMT_ERR_TEXT_ENCODING';
    if (cp >= 0xad && FORMAT.test(String.fromCodePoint(cp)) && !(cp === ZWJ && joinsEmoji(value, i)))
      return 'YMT_ERR_TEXT_INVISIBLE';
    if (cp > 0xffff) i++;
    if (++count > rule.maxLength) return 'YMT_ERR_TEXT_TOO_LONG';
  }
  return undefined;
}

/** True when `value` holds to the rule. */
export function isCleanText(value: string, rule: TextRule): boolean {
  return textError(value, rule) === undefined;
}

const ONE_CHARACTER: TextRule = { kind: 'line', maxLength: 1 };

/**
 * A field name from outside as it may be reported back or stored (a quarantined record's field): itself when it
 * holds to FIELD_NAME_RULE, otherwise with every refused character written as \uXXXX and cut to the rule's
 * length, so a refusal never carries what it refuses. What it gives holds to the rule (and is given back as is).
 */
export function printableFieldName(name: string): string {
  if (isCleanText(name, FIELD_NAME_RULE)) return name;
  const escaped = Array.from(name)
    .map((c) => {
      if (isCleanText(c, ONE_CHARACTER)) return c;
      return Array.from(
        { length: c.length },
        (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`,
      ).join('');
    })
    .join('');
  return Array.from(escaped).slice(0, FIELD_NAME_RULE.maxLength).join('');
}
