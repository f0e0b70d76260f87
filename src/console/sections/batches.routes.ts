/**
 * The console's batches section: published feed batches (a department its own source's, a province its own) and
 * a batch's quarantined records with line and reason, personal data masked.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '../../time/clock.ts';
import { Type, type Static } from 'typebox';
import { batchScope, seesBatch } from '../../access/actor.ts';
import { AppError } from '../../errors/app-error.ts';
import { ERRORS, isErrorCode } from '../../errors/registry.ts';
import type { BatchRow } from '../../feeds/feed-batches.repository.ts';
import type { FeedBatchesService } from '../../feeds/feed-batches.service.ts';
import { ERROR_RESPONSES } from '../../http/schemas.ts';
import { maskRecordText } from '../../privacy/record-masking.ts';
import {
  BatchId,
  COMMON,
  Iso,
  iso,
  IsoOrNull,
  isoOrNull,
  section,
  Source,
  UP_TO_1000,
  UP_TO_500,
} from '../console.schemas.ts';

const BatchSchema = Type.Object({
  source: Type.String(),
  batchId: Type.String(),
  province: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer(),
  accepted: Type.Integer(),
  quarantined: Type.Integer(),
  receivedAt: Iso,
  committedAt: Iso,
  processedAt: IsoOrNull,
  status: Type.Union([Type.Literal('processed'), Type.Literal('processing')], {
    description: 'processing: published, its exposures and status updates not yet done',
  }),
});

const QuarantinePage = Type.Object({
  source: Type.String(),
  batchId: Type.String(),
  quarantined: Type.Integer({ description: 'All the batch’s quarantined records' }),
  records: Type.Array(
    Type.Object({
      line: Type.Integer(),
      code: Type.String(),
      field: Type.String(),
      reason: Type.String(),
      reasonEn: Type.String(),
      record: Type.String({ description: 'The record as sent, personal data masked' }),
    }),
  ),
  nextAfterLine: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Pass as afterLine for the next page; null on the last',
  }),
});

/** A feed batch as the console lists it. */
export type BatchAnswer = Static<typeof BatchSchema>;
/** A page of a batch's quarantined records. */
export type QuarantineAnswer = Static<typeof QuarantinePage>;

function batchView(b: BatchRow): BatchAnswer {
  return {
    source: b.source,
    batchId: b.batch_id,
    province: b.province,
    total: b.total,
    accepted: b.accepted,
    quarantined: b.rejected,
    receivedAt: iso(b.received_at),
    committedAt: iso(b.committed_at),
    processedAt: isoOrNull(b.processed_at),
    status: b.processed_at === null ? 'processing' : 'processed',
  };
}

const forbidden = (): AppError => new AppError('YMT_ERR_CONSOLE_FORBIDDEN');

export function batchesSection(deps: {
  readonly batches: FeedBatchesService;
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { batches, clock } = deps;
  return async (app) => {
    app.get(
      '/api/v1/console/batches',
      {
        config: section('batches'),
        schema: {
          ...COMMON,
          operationId: 'consoleListBatches',
          summary: 'Published feed batches, newest first (a department its own source’s, a province its own)',
          querystring: Type.Object(
            {
              source: Type.Optional(Source),
              limit: Type.Optional(Type.String({ pattern: UP_TO_500, description: '1–500, default 50' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ batches: Type.Array(BatchSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const limit = Number(request.query.limit ?? 50);
        const scope = batchScope(request.consoleUser, request.query.source);
        if (scope === 'forbidden') throw forbidden();
        return { batches: (await batches.list(scope, limit)).map(batchView) };
      },
    );

    app.get(
      '/api/v1/console/batches/:source/:batchId/quarantine',
      {
        config: section('batches'),
        schema: {
          ...COMMON,
          operationId: 'consoleBatchQuarantine',
          summary: "A batch's quarantined records with line and reason, personal data masked",
          params: Type.Object({ source: Source, batchId: BatchId }),
          querystring: Type.Object(
            {
              afterLine: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', description: 'Default 0' })),
              limit: Type.Optional(Type.String({ pattern: UP_TO_1000, description: '1–1000, default 100' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: QuarantinePage, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { source, batchId } = request.params;
        const limit = Number(request.query.limit ?? 100);
        const batch = await batches.batch(source, batchId);
        if (!batch) throw new AppError('YMT_ERR_FEED_BATCH_NOT_FOUND');
        if (!seesBatch(request.consoleUser, batch)) throw forbidden();
        const afterLine = Number(request.query.afterLine ?? 0);
        const records = await batches.quarantined(request.consoleUser, clock(), source, batchId, {
          afterLine,
          limit: limit + 1,
        });
        const page = records.slice(0, limit);
        return {
          source,
          batchId,
          quarantined: batch.rejected,
          records: page.map((r) => {
            const def = isErrorCode(r.code) ? ERRORS[r.code] : undefined;
            return {
              line: r.line,
              code: r.code,
              field: r.field,
              reason: def?.message ?? r.code,
              reasonEn: def?.messageEn ?? r.code,
              record: maskRecordText(r.record),
            };
          }),
          nextAfterLine: records.length > limit ? (page[page.length - 1]?.line ?? null) : null,
        };
      },
    );
  };
}
