/**
 * Reads a feed (NDJSON or CSV with a header line) from a stream, one raw record at a time with its line number,
 * without holding the whole input in memory. A CSV header naming a column twice is refused at once
 * (YMT_ERR_FEED_DUPLICATE_HEADER): nothing of the batch is read.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { AppError, fieldProblem } from '../errors/app-error.ts';
import { printableFieldName } from '../text/text.domain.ts';
import { CsvRecordParser, csvHeader } from './csv.ts';

export type FeedFormat = 'ndjson' | 'csv';

export type RawRecord =
  | { readonly line: number; readonly raw: Record<string, unknown>; readonly text: string }
  | { readonly line: number; readonly error: string; readonly text: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function* readFeed(input: Readable, format: FeedFormat): AsyncGenerator<RawRecord> {
  // readline would wait forever on a stream that has already ended in an error.
  if (input.destroyed) throw input.errored ?? new Error('the input stream is already closed');
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  if (format === 'ndjson') {
    for await (const text of lines) {
      n++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        yield { line: n, error: 'not JSON', text };
        continue;
      }
      yield isRecord(value) ? { line: n, raw: value, text } : { line: n, error: 'not a JSON object', text };
    }
    return;
  }
  const parser = new CsvRecordParser();
  let header: string[] | undefined;
  let start = 0;
  let pending = '';
  for await (const text of lines) {
    n++;
    if (start === 0) {
      if (text.trim() === '') continue;
      start = n;
    }
    pending = pending === '' ? text : `${pending}\n${text}`;
    const r = parser.push(text);
    if (r.kind === 'pending') continue;
    const line = start;
    const whole = pending;
    start = 0;
    pending = '';
    if (r.kind === 'error') {
      yield { line, error: r.message, text: whole };
      continue;
    }
    if (header === undefined) {
      const h = csvHeader(r.fields);
      // The header is the batch's contract, not a record: a column named twice refuses the whole batch.
      if (h.duplicate !== undefined)
        throw new AppError('YMT_ERR_FEED_DUPLICATE_HEADER', [
          fieldProblem(printableFieldName(h.duplicate), 'YMT_ERR_FEED_DUPLICATE_HEADER'),
        ]);
      header = h.names;
      continue;
    }
    if (r.fields.length !== header.length) {
      yield { line, error: `expected ${header.length} fields, found ${r.fields.length}`, text: whole };
      continue;
    }
    const raw: Record<string, unknown> = {};
    header.forEach((name, i) => {
      const v = r.fields[i] ?? '';
      if (v !== '') raw[name] = v;
    });
    yield { line, raw, text: whole };
  }
  if (parser.open) yield { line: start, error: 'a quoted field is not closed', text: pending };
}
