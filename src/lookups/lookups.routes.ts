/**
 * Checkpoint staff's look-ups by document and manual checks (Q9, docs/checkpoint-lookups.md), with their own
 * credential (`Authorization: Bearer ymtc_…`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { signInKeys } from '../auth/auth.routes.ts';
import { AppError } from '../errors/app-error.ts';
import { DocumentFields, ERROR_RESPONSES, HolderSummarySchema, MrzField } from '../http/schemas.ts';
import { FAILURES, type RateLimits } from '../limits/rate-limits.ts';
import type { StaffService } from '../staff/staff.service.ts';
import type { Clock } from '../time/clock.ts';
import type { LookupsService } from './lookups.service.ts';

const Id = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{24}$' }) }, { additionalProperties: false });
const common = { tags: ['checkpoint staff'], security: [{ bearer: [] }] };

/** A wrong name counts as a sign-in's (the same per-document counter), and against the member of staff. */
export const isStaffRealNameFailure = (e: unknown) =>
  e instanceof AppError && e.code === 'YMT_ERR_STAFF_REAL_NAME';

export function lookupsRoutes(deps: {
  readonly lookups: LookupsService;
  readonly staff: StaffService;
  readonly limits: RateLimits;
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { lookups, staff, limits, clock } = deps;
  return async (app) => {
    app.decorateRequest('staff');
    app.addHook('preValidation', staff.hook('checkpoint'));

    app.post(
      '/api/v1/checkpoint/lookups',
      {
        schema: {
          ...common,
          operationId: 'lookUpByDocument',
          summary: '凭证件查询: look a person who is present up by the document and name on their card',
          body: Type.Object(
            { ...DocumentFields, ...MrzField, name: Type.String({ minLength: 1, maxLength: 100 }) },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({
              id: Type.String(),
              declared: Type.Boolean(),
              ...HolderSummarySchema.properties,
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const { keys, clearOnSuccess } = signInKeys(request.body, request.ip);
        const answer = await limits.guarded(
          [...keys, [`staff:real-name:${request.staff.staffId}`, FAILURES.perClient.free]],
          clearOnSuccess,
          () => lookups.lookUp(request.staff, request.body, clock()),
          isStaffRealNameFailure,
        );
        return reply.status(201).send(answer);
      },
    );

    app.post(
      '/api/v1/checkpoint/lookups/:id/decision',
      {
        schema: {
          ...common,
          operationId: 'recordManualCheck',
          summary: '人工核验: record the manual check of a look-up (pass or refuse), once',
          params: Id,
          body: Type.Object(
            { decision: Type.Union([Type.Literal('pass'), Type.Literal('refuse')]) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              id: Type.String(),
              decision: Type.String(),
              decidedAt: Type.String({ format: 'date-time' }),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => lookups.decide(request.staff, request.params.id, request.body.decision, clock()),
    );
  };
}
