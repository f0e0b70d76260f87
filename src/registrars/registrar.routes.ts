/**
 * Registrars' API (Q9, docs/registrars.md): record a declaration for a person without a phone and print their
 * paper code. Authenticated by the registrar's own credential (`Authorization: Bearer ymtr_…`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DECLARATION_FIELDS as F } from '../declaration/declaration.routes.ts';
import { bearerToken } from '../http/authenticate.ts';
import { DocumentFields, EntrySchema, ERROR_RESPONSES } from '../http/schemas.ts';
import type { Clock } from '../time/clock.ts';
import type { Registrar } from './registrars.repository.ts';
import { REGISTRAR_TOKEN_PREFIX } from './registrars.repository.ts';
import type { RegistrationsService } from './registrations.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The registrar signed in (registrar routes only). */
    registrar: Registrar;
  }
}

const Body = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'The person’s name' }),
    document: Type.Optional(
      Type.Object(DocumentFields, {
        additionalProperties: false,
        description:
          'The person’s ID card or passport, when they have one: the same real-name check as a sign-in',
      }),
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
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { registrations, clock } = deps;
  return async (app) => {
    app.decorateRequest('registrar');
    app.addHook('preHandler', async (request) => {
      const token = request.headers.authorization === undefined ? undefined : bearerToken(request);
      request.registrar = await registrations.signIn(
        token?.startsWith(REGISTRAR_TOKEN_PREFIX) ? token : undefined,
      );
    });

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
      async (request, reply) =>
        reply.status(201).send(await registrations.record(request.registrar, request.body, clock())),
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
        const pdf = await registrations.paperCode(request.registrar, request.params.id, clock());
        return reply
          .type('application/pdf')
          .header('cache-control', 'no-store')
          .header('content-disposition', `inline; filename="paper-code-${request.params.id}.pdf"`)
          .send(pdf);
      },
    );
  };
}
