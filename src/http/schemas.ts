/** Schemas shared by several routes. */
import { Type } from 'typebox';

export const FieldProblemSchema = Type.Object({
  field: Type.String(),
  code: Type.String(),
  message: Type.String(),
  messageEn: Type.String(),
});

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable YMT_ERR_… code (docs/errors.md)' }),
      message: Type.String({ description: 'Chinese message' }),
      messageEn: Type.String({ description: 'English message' }),
      details: Type.Optional(Type.Array(FieldProblemSchema)),
    }),
  },
  { $id: 'Error' },
);

/** The error responses every route may give. */
export const ERROR_RESPONSES = {
  '4xx': ErrorSchema,
  '5xx': ErrorSchema,
} as const;

export const ColourSchema = Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red')]);

export const EvidenceSchema = Type.Object({
  source: Type.String({ description: 'health, railway, aviation, immigration, telecom, declaration, …' }),
  batchId: Type.String(),
  record: Type.Integer({ description: 'Line in the batch, or the declaration version' }),
});

export const ReasonSchema = Type.Object({
  code: Type.String(),
  colour: ColourSchema,
  text: Type.String(),
  textEn: Type.String(),
  evidence: EvidenceSchema,
});

export const BEARER: { [scheme: string]: string[] }[] = [{ bearer: [] }, { cookie: [] }];
