/**
 * The console's status entries section (operators only): the entries of the `status` table — a holder's case status
 * an operator recorded, with who, when and why — created for a holder named by their document, and ended with a
 * reason. The same service as `yimatong status-entries` (src/status/status-entries.service.ts); holders masked.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { ColourSchema, DocumentFields, ERROR_RESPONSES } from '../../http/schemas.ts';
import type { StatusEntriesService, StatusEntryView } from '../../status/status-entries.service.ts';
import type { Clock } from '../../time/clock.ts';
import { COMMON, Iso, iso, IsoOrNull, isoOrNull, section } from '../console.schemas.ts';

const CaseStatusSchema = Type.Union(
  [
    Type.Literal('confirmed'),
    Type.Literal('suspected'),
    Type.Literal('asymptomatic'),
    Type.Literal('close_contact'),
    Type.Literal('cleared'),
    Type.Null(),
  ],
  { description: 'The case status the kind means (GET /api/v1/me/health/case-status); null: none' },
);

const KindSchema = Type.Object({
  code: Type.String(),
  caseStatus: CaseStatusSchema,
  colour: ColourSchema,
  text: Type.String(),
  textEn: Type.String(),
});

/** A kind of entry an operator may create (src/status/status-entry-kinds.json). */
export type StatusEntryKindAnswer = Static<typeof KindSchema>;

const EntrySchema = Type.Object({
  entryId: Type.String({
    description: 'What ends it; the evidence batchId of the reason it gives the holder',
  }),
  holder: Type.Object({
    documentType: DocumentFields.documentType,
    documentNumber: Type.String({ description: 'Masked' }),
    nationality: Type.String(),
    name: Type.String({ description: 'Masked' }),
  }),
  kind: Type.String(),
  colour: ColourSchema,
  caseStatus: CaseStatusSchema,
  text: Type.String(),
  textEn: Type.String(),
  source: Type.String({ description: '`operator` for entries operators create' }),
  validFrom: Iso,
  validUntil: IsoOrNull,
  createdAt: Iso,
  createdBy: Type.Union([Type.String(), Type.Null()], { description: 'Null for entries older than 0009' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  ended: Type.Union([Type.Object({ at: Iso, by: Type.String(), reason: Type.String() }), Type.Null()]),
  active: Type.Boolean({ description: 'In force now: started, not past validUntil, not ended' }),
});

/** A status entry as the console lists it. */
export type StatusEntryAnswer = Static<typeof EntrySchema>;

const answer = (v: StatusEntryView): StatusEntryAnswer => ({
  ...v,
  validFrom: iso(v.validFrom),
  validUntil: isoOrNull(v.validUntil),
  createdAt: iso(v.createdAt),
  ended: v.ended && { ...v.ended, at: iso(v.ended.at) },
});

const Reason = Type.String({ minLength: 1, maxLength: 200, description: 'Why (kept with the entry)' });

export function statusEntriesSection(deps: {
  statusEntries: StatusEntriesService;
  clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { statusEntries, clock } = deps;
  const config = section('status-entries', true);
  return async (app) => {
    app.get(
      '/api/v1/console/status-entries',
      {
        config,
        schema: {
          ...COMMON,
          operationId: 'consoleListStatusEntries',
          summary: 'Status entries, newest first (at most 500); `active=true`: only those in force now',
          querystring: Type.Object(
            { active: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ entries: Type.Array(EntrySchema) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        entries: (
          await statusEntries.list(request.consoleUser, { active: request.query.active === 'true' }, clock())
        ).map(answer),
      }),
    );

    app.get(
      '/api/v1/console/status-entries/kinds',
      {
        config,
        schema: {
          ...COMMON,
          operationId: 'consoleStatusEntryKinds',
          summary: 'The kinds of status entry an operator may create',
          response: { 200: Type.Object({ kinds: Type.Array(KindSchema) }), ...ERROR_RESPONSES },
        },
      },
      () => ({ kinds: [...statusEntries.kinds()] }),
    );

    app.post(
      '/api/v1/console/status-entries',
      {
        config,
        schema: {
          ...COMMON,
          operationId: 'consoleAddStatusEntry',
          summary:
            "Record a holder's case status (a kind) from now, with the reason; the holder's colour and case status follow",
          body: Type.Object(
            {
              ...DocumentFields,
              kind: Type.String({ minLength: 1, maxLength: 64, description: 'A code of GET …/kinds' }),
              until: Type.Optional(
                Type.String({ maxLength: 40, description: 'ISO 8601 with a zone; default: until ended' }),
              ),
              reason: Reason,
            },
            { additionalProperties: false },
          ),
          response: { 201: EntrySchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) =>
        reply.code(201).send(answer(await statusEntries.add(request.consoleUser, request.body, clock()))),
    );

    app.post(
      '/api/v1/console/status-entries/:entryId/end',
      {
        config,
        schema: {
          ...COMMON,
          operationId: 'consoleEndStatusEntry',
          summary: 'End a status entry now, with the reason (kept beside it); the holder’s colour follows',
          params: Type.Object({ entryId: Type.String({ format: 'uuid' }) }),
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
          response: { 200: EntrySchema, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        answer(
          await statusEntries.end(request.consoleUser, request.params.entryId, request.body.reason, clock()),
        ),
    );
  };
}
