/**
 * The console's rule sets section: acceptance rule sets (operators and provincial authorities, each their part)
 * and status rule sets (operators), listed, validated and published through the same services as the province
 * API and the command line.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { ERROR_RESPONSES } from '../../http/schemas.ts';
import type { AcceptanceRuleSetsService } from '../../recognition/acceptance-rule-sets.service.ts';
import type { StatusRuleSetsService } from '../../risk/status-rule-sets.service.ts';
import type { PublicationCheck } from '../../rule-sets/publication.ts';
import type { Clock } from '../../time/clock.ts';
import {
  COMMON,
  Iso,
  iso,
  IsoOrNull,
  isoOrNull,
  Problem,
  RuleSetDocument,
  section,
} from '../console.schemas.ts';

const RuleSetSchema = Type.Object({
  id: Type.String(),
  version: Type.String(),
  province: Type.Union([Type.String(), Type.Null()], { description: 'null: the national rule set' }),
  validFrom: Iso,
  publishedAt: IsoOrNull,
  inForce: Type.Boolean(),
  shipped: Type.Boolean(),
});

const StatusRuleSetSchema = Type.Object({
  id: Type.String(),
  version: Type.String(),
  validFrom: Iso,
  publishedAt: IsoOrNull,
  publishedBy: Type.Union([Type.String(), Type.Null()]),
  shipped: Type.Boolean(),
  inForce: Type.Boolean(),
});

/** An acceptance rule set as the console lists it. */
export type AcceptanceRuleSetAnswer = Static<typeof RuleSetSchema>;
/** A status rule set as the console lists it. */
export type StatusRuleSetAnswer = Static<typeof StatusRuleSetSchema>;

const Body = Type.Object({ document: RuleSetDocument }, { additionalProperties: false });
const Validation = Type.Object({ ok: Type.Boolean(), problems: Type.Array(Problem) });
/** What "validate" answers: publication's verdict, nothing written. */
export type ValidationAnswer = Static<typeof Validation>;

const validation = (check: PublicationCheck<unknown>): ValidationAnswer =>
  check.ok ? { ok: true, problems: [] } : { ok: false, problems: [...check.problems] };

export function ruleSetsSection(deps: {
  acceptanceRuleSets: AcceptanceRuleSetsService;
  statusRuleSets: StatusRuleSetsService;
  clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { acceptanceRuleSets, statusRuleSets, clock } = deps;
  return async (app) => {
    app.get(
      '/api/v1/console/rule-sets',
      {
        config: section('rule-sets'),
        schema: {
          ...COMMON,
          operationId: 'consoleListRuleSets',
          summary: 'Acceptance rule sets, shipped and published, each saying whether it is the one in force',
          response: { 200: Type.Object({ ruleSets: Type.Array(RuleSetSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        ruleSets: (await acceptanceRuleSets.list(request.consoleUser, clock())).map((v) => ({
          ...v,
          validFrom: iso(v.validFrom),
          publishedAt: isoOrNull(v.publishedAt),
        })),
      }),
    );

    app.post(
      '/api/v1/console/rule-sets/validate',
      {
        config: section('rule-sets'),
        schema: {
          ...COMMON,
          operationId: 'consoleValidateRuleSet',
          summary: 'Check an acceptance rule set as publication would, without publishing it',
          body: Body,
          response: { 200: Validation, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        validation(await acceptanceRuleSets.check(request.consoleUser, request.body.document)),
    );

    app.post(
      '/api/v1/console/rule-sets',
      {
        config: section('rule-sets'),
        schema: {
          ...COMMON,
          operationId: 'consolePublishRuleSet',
          summary: 'Publish an acceptance rule set; it takes effect at its validFrom',
          body: Body,
          response: {
            200: Type.Object({
              id: Type.String(),
              version: Type.String(),
              province: Type.Union([Type.String(), Type.Null()]),
              validFrom: Iso,
              inForce: Type.Boolean(),
              created: Type.Boolean(),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const now = clock();
        const { ruleSet, created } = await acceptanceRuleSets.publish(
          request.consoleUser,
          request.body.document,
          now,
        );
        return {
          id: ruleSet.id,
          version: ruleSet.version,
          province: ruleSet.province,
          validFrom: iso(ruleSet.validFrom),
          inForce: ruleSet.validFrom <= now.getTime(),
          created,
        };
      },
    );

    app.get(
      '/api/v1/console/status-rule-sets',
      {
        config: section('rule-sets', true),
        schema: {
          ...COMMON,
          operationId: 'consoleListStatusRuleSets',
          summary:
            'Status rule sets (the baseline and published versions), each saying whether it decides now',
          response: { 200: Type.Object({ ruleSets: Type.Array(StatusRuleSetSchema) }), ...ERROR_RESPONSES },
        },
      },
      async () => ({
        ruleSets: (await statusRuleSets.list(clock())).map((v) => ({
          ...v,
          validFrom: iso(v.validFrom),
          publishedAt: isoOrNull(v.publishedAt),
        })),
      }),
    );

    app.post(
      '/api/v1/console/status-rule-sets/validate',
      {
        config: section('rule-sets', true),
        schema: {
          ...COMMON,
          operationId: 'consoleValidateStatusRuleSet',
          summary: 'Check a status rule set as publication would, without publishing it',
          body: Body,
          response: { 200: Validation, ...ERROR_RESPONSES },
        },
      },
      async (request) => validation(await statusRuleSets.check(request.body.document)),
    );

    app.post(
      '/api/v1/console/status-rule-sets',
      {
        config: section('rule-sets', true),
        schema: {
          ...COMMON,
          operationId: 'consolePublishStatusRuleSet',
          summary: 'Publish a status rule set; it decides colours from its validFrom',
          body: Body,
          response: {
            200: Type.Object({
              id: Type.String(),
              version: Type.String(),
              validFrom: Iso,
              inForce: Type.Boolean(),
              created: Type.Boolean(),
            }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const { ruleSet, created, inForce } = await statusRuleSets.publish(
          request.body.document,
          request.consoleUser,
          clock(),
        );
        return {
          id: ruleSet.id,
          version: ruleSet.version,
          validFrom: iso(ruleSet.validFrom),
          inForce,
          created,
        };
      },
    );
  };
}
