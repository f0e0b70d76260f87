/** Schemas shared by several routes. */
import { Type } from 'typebox';
import { MultilineText } from './text-schemas.ts';

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

/** A holder's case status (Q2.2): what the findings behind the colour carry. */
export const CaseStatusSchema = Type.Object({
  status: Type.Union(
    [
      Type.Literal('confirmed'),
      Type.Literal('suspected'),
      Type.Literal('asymptomatic'),
      Type.Literal('close_contact'),
      Type.Literal('cleared'),
      Type.Literal('none'),
    ],
    {
      description:
        'confirmed, suspected, asymptomatic, close_contact (from a reason of GET /me/health, the most serious), cleared (the latest health event cleared the holder) or none',
    },
  ),
  isCase: Type.Boolean({ description: 'confirmed, suspected or asymptomatic' }),
  at: Type.Optional(Type.String({ format: 'date-time' })),
  evidence: Type.Optional(EvidenceSchema),
});

/** The document a holder is known by (real-name sign-in, and the hub and nodes asking each other about one). */
export const DocumentFields = {
  documentType: Type.Union([Type.Literal('id_card'), Type.Literal('passport')]),
  documentNumber: Type.String({ minLength: 1, maxLength: 32 }),
  nationality: Type.Optional(Type.String({ minLength: 3, maxLength: 3, description: 'ISO 3166-1 alpha-3' })),
};

/** A passport's machine-readable zone (ICAO 9303 TD3), optional where a person names their document. */
export const MrzField = {
  mrz: Type.Optional(
    MultilineText({
      maxLength: 100,
      description:
        "The passport's two MRZ lines (44 characters each): check digits verified, compared with the fields",
    }),
  ),
};

/** A reason without its evidence record: what another party may see. */
export const ShortReasonSchema = Type.Object({
  code: Type.String(),
  text: Type.String(),
  textEn: Type.String(),
});

/** A holder's status as shown to another party with the holder's consent (src/status/holder-summary.ts). */
export const HolderSummarySchema = Type.Object({
  colour: ColourSchema,
  maskedName: Type.String(),
  reasons: Type.Array(ShortReasonSchema),
  asOf: Type.String({ format: 'date-time' }),
});

/** What a receiver of status deltas answers (the hub from a node, a node from the hub): counts and refusals. */
export const DeltasAnswerSchema = Type.Object({
  received: Type.Integer(),
  applied: Type.Integer(),
  rejected: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), message: Type.String() })),
});

export const BEARER: { [scheme: string]: string[] }[] = [{ bearer: [] }, { cookie: [] }];

/** 入境信息: inbound travellers' entry (Q10); checked against the immigration feed (GET /api/v1/me/health/entry). */
export const EntrySchema = Type.Object(
  {
    tripNo: Type.String({ maxLength: 16, description: 'Flight (CA934) or train (Z97) number' }),
    date: Type.String({ maxLength: 10, description: 'YYYY-MM-DD, Beijing time: within the last 30 days' }),
    portOfEntry: Type.String({ maxLength: 64 }),
    fromCountry: Type.String({ maxLength: 3, description: 'ISO 3166-1 alpha-3 of the country left from' }),
    quarantinePlace: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
