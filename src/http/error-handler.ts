/**
 * Maps every failure to the coded error body; 5xx bodies say nothing internal. A database that cannot answer now
 * (gone, refusing connections, locked) is not a bug: 503 `YMT_ERR_UNAVAILABLE` or `YMT_ERR_BUSY` with
 * `Retry-After`, and the process carries on (docs/operations.md#when-the-database-goes-away).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { databaseFailure } from '../db/database.ts';
import { AppError, fieldProblem } from '../errors/app-error.ts';
import { printableFieldName, TEXT_ERRORS, type TextError } from '../text/text.domain.ts';
import { KEYS_KEYWORD, TEXT_KEYWORD } from './text-schemas.ts';

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  params?: { missingProperty?: string; additionalProperty?: string; code?: string };
}

/** The YMT_ERR_TEXT_… code of a broken text rule (src/http/text-schemas.ts), or undefined for any other issue. */
function textCode(issue: ValidationIssue): TextError | undefined {
  if (issue.keyword !== TEXT_KEYWORD && issue.keyword !== KEYS_KEYWORD) return undefined;
  const code = issue.params?.code;
  return TEXT_ERRORS.find((c) => c === code);
}

function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const path = (issue.instancePath ?? '')
    .replace(/^\//, '')
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replace(/\//g, '.');
  // A field name that breaks the text rule is not echoed back: the object holding it is named.
  const leaf = textCode(issue)
    ? undefined
    : (issue.params?.missingProperty ?? issue.params?.additionalProperty);
  const full = [path, leaf].filter(Boolean).join('.');
  // A field name from outside is reported as printableFieldName gives it: never with what the rule refuses.
  return printableFieldName(full || context || 'body');
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
      const issues = error.validation as ValidationIssue[];
      const details = issues.map((v) =>
        fieldProblem(fieldOf(v, error.validationContext), textCode(v) ?? 'YMT_ERR_VALIDATION'),
      );
      // A broken text rule names itself (YMT_ERR_TEXT_…), whatever else is wrong beside it.
      const text = issues.map(textCode).find((c) => c !== undefined);
      return reply.status(400).send(new AppError(text ?? 'YMT_ERR_VALIDATION', details).toBody());
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
