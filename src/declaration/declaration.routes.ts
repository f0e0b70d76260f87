import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { useMount, type Mount } from '../http/authenticate.ts';
import { EntrySchema as Entry, ERROR_RESPONSES } from '../http/schemas.ts';
import type { Clock } from '../time/clock.ts';
import type { DeclarationService } from './declaration.service.ts';

const RegionCode = Type.String({ pattern: '^\\d{6}$', description: 'GB/T 2260 six-digit code' });

/**
 * Mutable declaration fields. Identity fields may be sent; a different value is refused (Q4). A registrar's form
 * (src/registrars) takes the same fields.
 */
export const DECLARATION_FIELDS = {
  phone: Type.String({ maxLength: 32 }),
  householdRegion: RegionCode,
  address: Type.String({ maxLength: 400 }),
  underlyingConditions: Type.String({ maxLength: 1000 }),
  sex: Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Literal('unspecified')]),
  temperature: Type.Number({ description: 'Body temperature, °C (34.0–43.0)' }),
  symptoms: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 }),
  contactWithCases: Type.Boolean(),
  recentCities: Type.Array(RegionCode, { maxItems: 60, description: 'Cities visited in the last 14 days' }),
  name: Type.String({ maxLength: 100, description: 'Immutable: must equal the real-name identity' }),
  documentType: Type.String({ maxLength: 16, description: 'Immutable' }),
  documentNumber: Type.String({ maxLength: 32, description: 'Immutable' }),
};

const CreateBody = Type.Object(
  {
    ...DECLARATION_FIELDS,
    entry: Type.Optional(Entry),
    phone: Type.Optional(DECLARATION_FIELDS.phone),
    underlyingConditions: Type.Optional(DECLARATION_FIELDS.underlyingConditions),
    sex: Type.Optional(DECLARATION_FIELDS.sex),
    name: Type.Optional(DECLARATION_FIELDS.name),
    documentType: Type.Optional(DECLARATION_FIELDS.documentType),
    documentNumber: Type.Optional(DECLARATION_FIELDS.documentNumber),
  },
  { additionalProperties: false },
);

const PatchBody = Type.Partial(
  Type.Object({
    ...DECLARATION_FIELDS,
    entry: Type.Union([Entry, Type.Null()], { description: 'null removes it' }),
  }),
  { additionalProperties: false, minProperties: 1 },
);

const Query = Type.Object(
  {
    full: Type.Optional(
      Type.Union([Type.Literal('true'), Type.Literal('false')], {
        description: 'true: the holder asks for their own record unmasked',
      }),
    ),
  },
  { additionalProperties: false },
);

const DeclarationResponse = Type.Object({
  version: Type.Integer(),
  masked: Type.Boolean(),
  name: Type.String(),
  sex: Type.String(),
  birthDate: Type.Optional(Type.String()),
  nationality: Type.String(),
  documentType: Type.String(),
  documentNumber: Type.String(),
  phone: Type.String(),
  householdRegion: Type.String(),
  householdRegionName: Type.String(),
  householdRegionNameEn: Type.String(),
  address: Type.String(),
  underlyingConditions: Type.String(),
  temperature: Type.Number(),
  symptoms: Type.Array(Type.String()),
  contactWithCases: Type.Boolean(),
  recentCities: Type.Array(Type.String()),
  entry: Type.Optional(Entry),
  firstDeclaredAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  canModifyToday: Type.Boolean(),
  nextModificationAt: Type.Optional(Type.String({ format: 'date-time' })),
});

/** The declaration as the API answers it (the citizen app reads the same type). */
export type DeclarationAnswer = Static<typeof DeclarationResponse>;

export function declarationRoutes(deps: {
  readonly declarations: DeclarationService;
  /** The holder's own (`/api/v1/me`) or a family member's (src/family). */
  readonly mount: Mount;
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { declarations, mount, clock } = deps;
  return async (app) => {
    const { path, schema, operation } = useMount(app, mount, ['declaration']);
    const common = { ...schema, querystring: Query };

    app.get(
      path('/declaration'),
      {
        config: { purpose: 'declaration.read' },
        schema: {
          ...common,
          operationId: operation('queryHealthInformation'),
          summary: '查询健康信息: read the latest declaration (masked unless full=true)',
          response: { 200: DeclarationResponse, ...ERROR_RESPONSES },
        },
      },
      (request) => declarations.get(request.subject.personId, clock(), request.query.full === 'true'),
    );

    app.post(
      path('/declaration'),
      {
        config: { purpose: 'declaration.create' },
        schema: {
          ...common,
          operationId: operation('declareHealthInformation'),
          summary: '申报健康信息: first fill of the health declaration',
          body: CreateBody,
          response: { 201: DeclarationResponse, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const full = request.query.full === 'true';
        return reply
          .status(201)
          .send(await declarations.create(request.subject.personId, request.body, clock(), full));
      },
    );

    app.patch(
      path('/declaration'),
      {
        config: { purpose: 'declaration.modify' },
        schema: {
          ...common,
          operationId: operation('modifyHealthInformation'),
          summary: '修改健康信息: modify the declaration, once per day (Asia/Shanghai)',
          body: PatchBody,
          response: { 200: DeclarationResponse, ...ERROR_RESPONSES },
        },
      },
      (request) =>
        declarations.modify(request.subject.personId, request.body, clock(), request.query.full === 'true'),
    );
  };
}
