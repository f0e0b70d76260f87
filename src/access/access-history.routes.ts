/** The holder's access history (docs/family.md#access-history): who looked at or changed their data. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { HolderHook } from '../http/authenticate.ts';
import { BEARER, ERROR_RESPONSES } from '../http/schemas.ts';
import type { AccessHistoryService } from './access-history.service.ts';
import { ACTOR_KINDS, PURPOSES, type ActorKind, type Purpose } from './purposes.ts';

const Entry = Type.Object({
  at: Type.String({ format: 'date-time' }),
  actor: Type.String({
    description: "Who: a family member's masked name, or a member of staff and their region",
  }),
  actorEn: Type.String({ description: 'The same, the region in English' }),
  role: Type.Enum(Object.keys(ACTOR_KINDS) as ActorKind[]),
  roleText: Type.String(),
  roleTextEn: Type.String(),
  purpose: Type.Enum(Object.keys(PURPOSES) as Purpose[]),
  purposeText: Type.String(),
  purposeTextEn: Type.String(),
});

/** An access history entry as the API answers it (the citizen app reads the same type). */
export type AccessEntryAnswer = Static<typeof Entry>;

export function accessHistoryRoutes(deps: {
  readonly history: AccessHistoryService;
  readonly holder: HolderHook;
}): FastifyPluginAsyncTypebox {
  const { history, holder } = deps;
  return async (app) => {
    app.addHook('preHandler', holder);
    app.get(
      '/api/v1/me/access-history',
      {
        schema: {
          tags: ['identity'],
          security: BEARER,
          operationId: 'queryAccessHistory',
          summary:
            '访问记录 (access history): who looked at or changed your data, in which role, why and when; newest first',
          querystring: Type.Object(
            {
              before: Type.Optional(
                Type.Integer({ minimum: 1, description: 'The `next` of the page before' }),
              ),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ entries: Type.Array(Entry), next: Type.Optional(Type.Integer()) }),
            ...ERROR_RESPONSES,
          },
        },
      },
      (request) => history.of(request.personId, request.query.before),
    );
  };
}
