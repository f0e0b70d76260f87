/**
 * Maps every failure to the coded error body; 5xx bodies say nothing internal. A database that cannot answer now
 * (gone, refusing connections, locked) is not a bug: 503 `YMT_ERR_UNAVAILABLE` or `YMT_ERR_BUSY` with
 * `Retry-After`, and the process carries on (docs/operations.md#when-the-database-goes-away).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { databaseFailure } from '../db/database.ts';
import { AppError, fieldProblem } from '../errors/app-error.ts';

interface ValidationIssue {
  instancePath?: string;
  params?: { missingProperty?: string; additionalProperty?: string };
}

function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const path = (issue.instancePath ?? '')
    .replace(/^\//, '')
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replace(/\//g, '.');
  const leaf = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  const full = [path, leaf].filter(Boolean).join('.');
  return full || context || 'body';
}

export function installErrorHandler(
  app: FastifyInstance,
  opts: {
    /** Retry-After of a 503 (BUSY_RETRY_AFTER_SECONDS). */
    readonly retryAfterSeconds: number;
    /** Told of each database failure (the metrics count them). */
    readonly onDatabaseFailure?: (kind: 'busy' | 'unavailable') => void;
  },
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.retryAfterSeconds !== undefined)
        void reply.header('retry-after', String(error.retryAfterSeconds));
      else if (error.status === 503 && !reply.hasHeader('retry-after'))
        void reply.header('retry-after', String(opts.retryAfterSeconds));
      return reply.status(error.status).send(error.toBody());
    }
    const down = databaseFailure(error);
    if (down) {
      opts.onDatabaseFailure?.(down);
      request.log.warn({ err: error }, `database ${down}`);
      void reply.header('retry-after', String(opts.retryAfterSeconds));
      const coded = new AppError(down === 'busy' ? 'YMT_ERR_BUSY' : 'YMT_ERR_UNAVAILABLE');
      return reply.status(503).send(coded.toBody());
    }
    if (error.validation) {
      const details = (error.validation as ValidationIssue[]).map((v) =>
        fieldProblem(fieldOf(v, error.validationContext), 'YMT_ERR_VALIDATION'),
      );
      return reply.status(400).send(new AppError('YMT_ERR_VALIDATION', details).toBody());
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(new AppError('YMT_ERR_PAYLOAD_TOO_LARGE').toBody());
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      // Malformed JSON, wrong content type, empty body…
      return reply.status(400).send(new AppError('YMT_ERR_VALIDATION').toBody());
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(new AppError('YMT_ERR_INTERNAL').toBody());
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send(new AppError('YMT_ERR_NOT_FOUND').toBody()),
  );
}
