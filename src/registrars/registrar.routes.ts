/**
 * Registrars' API (Q9, docs/registrars.md): record a declaration for a person without a phone and print their
 * paper code. Authenticated by the registrar's own credential (`Authorization: Bearer ymtr_…`, src/staff).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DECLARATION_FIELDS as F } from '../declaration/declaration.routes.ts';
import { signInKeys } from '../auth/auth.routes.ts';
import { isStaffRealNameFailure } from '../lookups/lookups.routes.ts';
import { FAILURES, type RateLimits } from '../limits/rate-limits.ts';
import type { StaffService } from '../staff/staff.service.ts';
import { DocumentFields, EntrySchema, ERROR_RESPONSES, MrzField } from '../http/schemas.ts';
import type { Clock } from '../time/clock.ts';
import type { RegistrationsService } from './registrations.service.ts';

const Body = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'The person’s name' }),
    document: Type.Optional(
      Type.Object(
        { ...DocumentFields, ...MrzField },
        {
          additionalProperties: false,
          description:
            'The person’s ID card or passport, when they have one: the same real-name check as a sign-in',
        },
      ),
    ),
    registeredNumber: Type.Optional(
      Type.String({
        maxLength: 16,
        description:
          'For a person recorded before without a document: the registration number the hub gave them',
      }),
    ),
    contact: Type.Object(
      { name: Type.String({ maxLength: 100 }), phone: Type.String({ maxLength: 32 }) },
      { additionalProperties: false, description: 'Who to call about the person (a relative, a neighbour)' },
    ),
    householdRegion: F.householdRegion,
    address: F.address,
    underlyingConditions: Type.Optional(F.underlyingConditions),
    sex: Type.Optional(F.sex),
    temperature: F.temperature,
    symptoms: F.symptoms,
    contactWithCases: F.contactWithCases,
    recentCities: F.recentCities,
    entry: Type.Optional(EntrySchema),
  },
  { additionalProperties: false },
);

const Recorded = Type.Object({
  id: Type.String(),
  code: Type.String({ description: 'The paper code’s text (YMT1:…), as its QR carries it' }),
  expiresAt: Type.String({ format: 'date-time' }),
  colour: Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red')]),
  maskedName: Type.String(),
  registeredNumber: Type.Optional(
    Type.String({ description: 'A person recorded without a document: the number to give next time' }),
  ),
});

const Id = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{24}$' }) }, { additionalProperties: false });
const SECURITY = [{ bearer: [] }];

export function registrarRoutes(deps: {
  readonly registrations: RegistrationsService;
  readonly staff: StaffService;
  readonly limits: RateLimits;
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { registrations, staff, limits, clock } = deps;
  return async (app) => {
    app.decorateRequest('staff');
    app.addHook('preValidation', staff.hook('registrar'));

    app.post(
      '/api/v1/registrar/declarations',
      {
        schema: {
          tags: ['registrars'],
          security: SECURITY,
          operationId: 'recordDeclarationForPerson',
          summary: '代为申报: record a declaration for a person without a phone and issue their paper code',
          body: Body,
          response: { 201: Recorded, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const record = () => registrations.record(request.staff, request.body, clock());
        const doc = request.body.document;
        // With a document, a wrong name counts as a sign-in's (the same per-document counter), and against the
        // registrar.
        if (doc === undefined) return reply.status(201).send(await record());
        const { keys, clearOnSuccess } = signInKeys(doc, request.ip);
        const keyed = [
          ...keys,
          [`staff:real-name:${request.staff.staffId}`, FAILURES.perClient.free] as const,
        ];
        return reply
          .status(201)
          .send(await limits.guarded(keyed, clearOnSuccess, record, isStaffRealNameFailure));
      },
    );

    app.get(
      '/api/v1/registrar/declarations/:id/paper-code.pdf',
      {
        schema: {
          tags: ['registrars'],
          security: SECURITY,
          operationId: 'printPaperCode',
          summary: '打印纸质健康码: the paper code as an A6 PDF',
          params: Id,
          produces: ['application/pdf'],
        },
      },
      async (request, reply) => {
        const pdf = await registrations.paperCode(request.staff, request.params.id, clock());
        return reply
          .type('application/pdf')
          .header('cache-control', 'no-store')
          .header('content-disposition', `inline; filename="paper-code-${request.params.id}.pdf"`)
          .send(pdf);
      },
    );
  };
}
