import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../audit/audited.ts';
import { AppError } from '../errors/app-error.ts';
import { ERROR_RESPONSES } from '../http/schemas.ts';
import type { Clock } from '../time/clock.ts';
import { departmentActor, departmentOf as department } from './department-auth.ts';
import type { Department } from './departments.repository.ts';
import type { DepartmentsService } from './departments.service.ts';
import type { BatchReport, FeedBatchesService } from './feed-batches.service.ts';
import { FEED_SOURCES } from './feed-records.domain.ts';
import type { IngestService } from './ingest.service.ts';

const Source = Type.Union(FEED_SOURCES.map((s) => Type.Literal(s)));
const BatchId = Type.String({
  pattern: '^[A-Za-z0-9._-]{1,128}$',
  description: 'Idempotency key of the batch',
});

const Rejected = Type.Object({ line: Type.Integer(), code: Type.String(), field: Type.String() });
const ReportSchema = Type.Object({
  source: Type.String(),
  batchId: Type.String(),
  province: Type.Union([Type.String(), Type.Null()]),
  duplicate: Type.Boolean(),
  total: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Array(Rejected),
  receivedAt: Type.String({ format: 'date-time' }),
  committedAt: Type.String({ format: 'date-time' }),
});

const MEDIA_TYPES = { 'application/x-ndjson': 'ndjson', 'text/csv': 'csv' } as const;

/** Passes the body through lazily, failing once it grows past `max` bytes (FEED_MAX_BYTES). */
async function* atMost(body: Readable, max: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > max) throw new AppError('YMT_ERR_PAYLOAD_TOO_LARGE');
    yield chunk;
  }
}

/** A department reads only its own batches: same source, and its own province's when it has one. */
function ownBatch(d: Department, report: BatchReport | undefined): BatchReport {
  if (!report || (d.province !== null && report.province !== d.province))
    throw new AppError('YMT_ERR_FEED_BATCH_NOT_FOUND');
  return report;
}

export function feedRoutes(deps: {
  readonly ingest: IngestService;
  readonly batches: FeedBatchesService;
  readonly departments: DepartmentsService;
  /** FEED_MAX_BYTES. */
  readonly maxBytes: number;
  readonly clock: Clock;
}): FastifyPluginAsyncTypebox {
  const { ingest, batches, departments, clock } = deps;
  return async (app) => {
    // Feed bodies are streamed into the ingestion, never buffered whole.
    app.addContentTypeParser(Object.keys(MEDIA_TYPES), (_request, payload, done) => {
      done(null, payload);
    });

    app.post(
      '/api/v1/feeds/:source/batches',
      {
        schema: {
          operationId: 'sendFeedBatch',
          summary: 'Send a department batch (application/x-ndjson or text/csv body, streamed)',
          tags: ['feeds'],
          security: [{ bearer: [] }],
          params: Type.Object({ source: Source }),
          querystring: Type.Object({ batchId: BatchId }, { additionalProperties: false }),
          response: { 200: ReportSchema, 201: ReportSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { source } = request.params;
        const d = await department(departments, request, source);
        const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        const format = MEDIA_TYPES[mediaType as keyof typeof MEDIA_TYPES] as 'ndjson' | 'csv' | undefined;
        if (format === undefined || !(request.body instanceof Readable))
          throw new AppError('YMT_ERR_FEED_MEDIA_TYPE');
        const limited = Readable.from(atMost(request.body, deps.maxBytes));
        const report = await ingest.ingest(limited, {
          source: source,
          format,
          batchId: request.query.batchId,
          province: d.province,
          now: clock(),
          by: actorOf(departmentActor(d)),
        });
        return reply.status(report.duplicate ? 200 : 201).send({ ...report, rejected: [...report.rejected] });
      },
    );

    const BatchParams = Type.Object({ source: Source, batchId: BatchId });

    app.get(
      '/api/v1/feeds/:source/batches/:batchId',
      {
        schema: {
          operationId: 'getFeedBatch',
          summary: 'The report of a batch the department sent',
          tags: ['feeds'],
          security: [{ bearer: [] }],
          params: BatchParams,
          response: { 200: ReportSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { source, batchId } = request.params;
        const d = await department(departments, request, source);
        const report = ownBatch(d, await batches.report(source, batchId));
        return { ...report, rejected: [...report.rejected] };
      },
    );

    app.get(
      '/api/v1/feeds/:source/batches/:batchId/quarantine',
      {
        schema: {
          operationId: 'getFeedQuarantine',
          summary: 'The quarantined records of a batch, as the department sent them, with line and reason',
          tags: ['feeds'],
          security: [{ bearer: [] }],
          params: BatchParams,
          response: {
            200: Type.Array(
              Type.Object({
                line: Type.Integer(),
                code: Type.String(),
                field: Type.String(),
                record: Type.String(),
              }),
            ),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const { source, batchId } = request.params;
        const d = await department(departments, request, source);
        ownBatch(d, await batches.report(source, batchId));
        return batches.quarantined(departmentActor(d), clock(), source, batchId);
      },
    );
  };
}
