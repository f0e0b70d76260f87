/**
 * Family members by proxy on the hub (代办, Q9; docs/family.md): the holder's dependants, the dependant's side (who
 * acts for me, end it), and the mount at which the holder's own routes serve a dependant.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { signInKeys } from '../auth/auth.routes.ts';
import { AppError } from '../errors/app-error.ts';
import type { HolderHook, Mount } from '../http/authenticate.ts';
import { BEARER, DocumentFields, ERROR_RESPONSES, MrzField } from '../http/schemas.ts';
import { FAILURES, type RateLimits } from '../limits/rate-limits.ts';
import type { Clock } from '../time/clock.ts';
import { RELATIONSHIPS } from './family.domain.ts';
import type { FamilyService } from './family.service.ts';

const Relationship = Type.Enum(RELATIONSHIPS, {
  description:
    'What the family member is to you: parent, grandparent, spouse, child, grandchild, sibling, ward, other',
});

const Link = Type.Object({
  id: Type.String({ format: 'uuid' }),
  maskedName: Type.String(),
  documentType: DocumentFields.documentType,
  relationship: Relationship,
  consent: Type.Union([Type.Literal('guardian'), Type.Literal('attested')], {
    description:
      "guardian: a minor's guardian consented; attested: the holder attested the adult's agreement",
  }),
  since: Type.String({ format: 'date-time' }),
});

/** A family link as the API answers it (the citizen app reads the same type). */
export type FamilyLink = Static<typeof Link>;

const LinkId = Type.Object({ dependantId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const GuardianLinkId = Type.Object(
  { linkId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

const isDependantRealNameFailure = (e: unknown) =>
  e instanceof AppError && e.code === 'YMT_ERR_DEPENDANT_REAL_NAME';

/**
 * Where the holder's routes serve a dependant: `/api/v1/me/dependants/{dependantId}/…`. The link is checked and the
 * request recorded in the dependant's access history (the route's purpose) before it is answered; a proxy never
 * asks for the unmasked record (`full=true`).
 */
export function familyMount(holder: HolderHook, family: FamilyService, clock: Clock): Mount {
  const proxy = async (request: FastifyRequest) => {
    const purpose = request.routeOptions.config.purpose;
    if (purpose === undefined) throw new AppError('YMT_ERR_NOT_FOUND');
    const { dependantId } = request.params as { dependantId: string };
    request.subject = await family.actFor(request.personId, dependantId, purpose, clock());
    // Recorded first: the dependant sees the attempt too.
    if ((request.query as { full?: string } | undefined)?.full === 'true')
      throw new AppError('YMT_ERR_PROXY_FULL_VIEW');
  };
  return {
    prefix: '/api/v1/me/dependants/:dependantId',
    hooks: [holder, proxy],
    operation: (id) => `${id}ForDependant`,
    tags: ['family'],
    params: LinkId,
  };
}

export function familyRoutes(deps: {
  readonly family: FamilyService;
  readonly holder: HolderHook;
  /** Adding a family member is a real-name check: its failures count as a sign-in's (src/limits). */
  readonly limits: RateLimits;
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { family, holder, limits, clock } = deps;
  return async (app) => {
    app.addHook('preHandler', holder);
    const common = { tags: ['family'], security: BEARER };

    app.post(
      '/api/v1/me/dependants',
      {
        schema: {
          ...common,
          operationId: 'addDependant',
          summary:
            '添加家庭成员 (add a family member): their real-name check, the relationship, consent recorded; then act for them',
          body: Type.Object(
            {
              ...DocumentFields,
              ...MrzField,
              name: Type.String({ minLength: 1, maxLength: 100 }),
              relationship: Relationship,
            },
            { additionalProperties: false },
          ),
          response: { 201: Link, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        // The same counters as a sign-in for this document (a name guessed here is a name guessed), and the holder's.
        const { keys, clearOnSuccess } = signInKeys(request.body, request.ip);
        const link = await limits.guarded(
          [...keys, [`dependants:holder:${request.personId}`, FAILURES.perClient.free]],
          clearOnSuccess,
          () => family.add(request.personId, request.body, clock()),
          isDependantRealNameFailure,
        );
        return reply.status(201).send(link);
      },
    );

    app.get(
      '/api/v1/me/dependants',
      {
        schema: {
          ...common,
          operationId: 'listDependants',
          summary: '家庭成员 (family members): those you act for, oldest first',
          response: { 200: Type.Object({ dependants: Type.Array(Link) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => ({ dependants: await family.dependants(request.personId) }),
    );

    app.delete(
      '/api/v1/me/dependants/:dependantId',
      {
        schema: {
          ...common,
          operationId: 'removeDependant',
          summary: 'Stop acting for a family member (the link ends; its history stays)',
          params: LinkId,
          response: { 204: Type.Null(), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        await family.remove(request.personId, request.params.dependantId, clock());
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/me/guardians',
      {
        schema: {
          ...common,
          operationId: 'listGuardians',
          summary: 'Who acts for you, and whether you may end it now',
          response: {
            200: Type.Object({
              guardians: Type.Array(Type.Object({ ...Link.properties, canEnd: Type.Boolean() })),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => ({ guardians: await family.guardians(request.personId, clock()) }),
    );

    app.delete(
      '/api/v1/me/guardians/:linkId',
      {
        schema: {
          ...common,
          operationId: 'endProxy',
          summary: 'End a family member acting for you: an adult at any time, a minor once 18',
          params: GuardianLinkId,
          response: { 204: Type.Null(), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        await family.endByDependant(request.personId, request.params.linkId, clock());
        return reply.status(204).send(null);
      },
    );
  };
}
