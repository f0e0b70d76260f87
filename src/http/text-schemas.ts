/**
 * The text rule (src/text/text.domain.ts) at the schema: every string of every request schema (body, query, path)
 * is checked by the validator before any handler runs, and every object's field names too. A route declares
 * nothing for it: `hardenRouteSchema` (an onRoute hook) marks each string `x-ymt-text: line` unless the schema
 * said `multiline` itself (`MultilineText`), and each object `x-ymt-keys`. A string without its own maxLength may
 * hold DEFAULT_TEXT_MAX code points. The error handler answers a broken rule with its YMT_ERR_TEXT_… code at the
 * field (docs/api.md#text).
 */
// Fastify's own Ajv (a dependency of fastify, not ours): its types only.
import type { Ajv, ErrorObject } from 'ajv';
import { Type, type TString } from 'typebox';
import {
  DEFAULT_TEXT_MAX,
  FIELD_NAME_RULE,
  textError,
  type TextError,
  type TextKind,
} from '../text/text.domain.ts';

export const TEXT_KEYWORD = 'x-ymt-text';
export const KEYS_KEYWORD = 'x-ymt-keys';

/** A free-text field that may hold line feeds and tabs (answers, descriptions): the only way to allow them. */
export function MultilineText(options: {
  maxLength: number;
  minLength?: number;
  description?: string;
}): TString {
  return Type.String({ ...options, [TEXT_KEYWORD]: 'multiline' satisfies TextKind });
}

/**
 * A string of one record of a batch (a status delta's reason): the schema lets it through, and the service holds it
 * to the text rule record by record, so one bad record is refused alone and never fails the whole batch.
 */
export function RecordText(options: {
  maxLength: number;
  minLength?: number;
  description?: string;
}): TString {
  return Type.String({ ...options, [TEXT_KEYWORD]: 'record' });
}

/** What Ajv's validation error carries for a broken text rule. */
export interface TextIssue {
  readonly keyword: typeof TEXT_KEYWORD | typeof KEYS_KEYWORD;
  readonly params: { readonly code: TextError; readonly key?: string };
}

/** A keyword's validation function as Ajv calls it: the value, and the errors it leaves. */
interface KeywordValidate {
  (data: unknown): boolean;
  errors?: Partial<ErrorObject>[];
}

/** The Ajv plugin (Fastify's `ajv.plugins`) defining both keywords. */
export function textKeywords(ajv: Ajv): Ajv {
  ajv.addKeyword({
    keyword: TEXT_KEYWORD,
    type: 'string',
    schemaType: 'string',
    errors: true,
    compile(kind, parent) {
      // A batch's record text: checked by its service, record by record (RecordText).
      if (kind === 'record') return () => true;
      const rule = {
        kind: kind === 'multiline' ? ('multiline' as const) : ('line' as const),
        maxLength: typeof parent.maxLength === 'number' ? parent.maxLength : DEFAULT_TEXT_MAX,
      };
      const validate: KeywordValidate = (data) => {
        const code = typeof data === 'string' ? textError(data, rule) : undefined;
        validate.errors =
          code === undefined ? [] : [{ keyword: TEXT_KEYWORD, message: code, params: { code } }];
        return code === undefined;
      };
      return validate;
    },
  });
  ajv.addKeyword({
    keyword: KEYS_KEYWORD,
    type: 'object',
    schemaType: 'boolean',
    errors: true,
    compile() {
      const validate: KeywordValidate = (data) => {
        validate.errors = [];
        if (typeof data !== 'object' || data === null) return true;
        for (const key of Object.keys(data)) {
          const code = textError(key, FIELD_NAME_RULE);
          if (code !== undefined) {
            // The key itself is not repeated: the field is named as "(field name)".
            validate.errors = [{ keyword: KEYS_KEYWORD, message: code, params: { code } }];
            return false;
          }
        }
        return true;
      };
      return validate;
    },
  });
  return ajv;
}

type Schema = Record<string | symbol, unknown>;

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SUBSCHEMA = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties'];

/** A copy of a request schema with every string and object marked for the text rule (shared schemas untouched). */
export function hardenSchema(schema: unknown): unknown {
  if (!isSchema(schema)) return schema;
  const out: Schema = { ...schema };
  const types = Array.isArray(schema.type) ? (schema.type as unknown[]) : [schema.type];
  if (types.includes('string') && out[TEXT_KEYWORD] === undefined) out[TEXT_KEYWORD] = 'line';
  if (types.includes('object')) out[KEYS_KEYWORD] = true;
  for (const k of SUBSCHEMA) if (isSchema(schema[k])) out[k] = hardenSchema(schema[k]);
  for (const k of SUBSCHEMA_LISTS) {
    const list = schema[k];
    if (Array.isArray(list)) out[k] = list.map(hardenSchema);
  }
  for (const k of SUBSCHEMA_MAPS) {
    const map = schema[k];
    if (isSchema(map))
      out[k] = Object.fromEntries(Object.entries(map).map(([name, s]) => [name, hardenSchema(s)]));
  }
  return out;
}

/** The parts of a route's schema that come from the caller (headers are another rule's: src/http/api-headers.ts). */
const REQUEST_PARTS = ['body', 'querystring', 'params'] as const;

/** An onRoute hook's work: the route's schema with its request parts hardened (a copy; the original is kept). */
export function hardenRouteSchema<S extends object>(schema: S): S {
  const out: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
  for (const part of REQUEST_PARTS) if (out[part] !== undefined) out[part] = hardenSchema(out[part]);
  return out as S;
}
