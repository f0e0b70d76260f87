/**
 * `yimatong ingest <source> <file> [--batch-id ID] [--format ndjson|csv] [--province CODE]`: loads a department
 * file through the same ingestion as the HTTP feed. The batch id defaults to a hash of the file, so loading the
 * same file twice changes nothing. Exit 0 when every record was accepted, 1 (with the report) otherwise.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { actorOf, commandLineUser } from '../audit/audited.ts';
import { loadConfig } from '../config/config.ts';
import { FEED_SOURCES, isFeedSource } from '../feeds/feed-records.domain.ts';
import { isKnownRegion } from '../regions/regions.ts';
import { printRecordReport, progressBar } from './output.ts';
import { UsageError } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const USAGE = `usage: yimatong ingest <${FEED_SOURCES.join('|')}> <file> [--batch-id ID] [--format ndjson|csv] [--province CODE]`;

async function fileHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 32);
}

export async function ingestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'batch-id': { type: 'string' }, format: { type: 'string' }, province: { type: 'string' } },
  });
  const [source, file] = positionals;
  if (source === undefined || file === undefined || positionals.length !== 2) throw new UsageError(USAGE);
  if (!isFeedSource(source)) throw new UsageError(`unknown source ${source}\n${USAGE}`);
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const format: string = values.format ?? (/\.csv$/i.test(file) ? 'csv' : 'ndjson');
  if (format !== 'csv' && format !== 'ndjson') throw new UsageError('--format must be ndjson or csv');
  const province = values.province ?? null;
  if (province !== null && (!/^\d{2}0000$/.test(province) || !isKnownRegion(province))) {
    throw new UsageError('--province must be a province code such as 440000');
  }
  const batchId = values['batch-id'] ?? (await fileHash(file));
  return withParts(loadConfig(), async ({ services: { ingest } }) => {
    const input = createReadStream(file);
    const size = statSync(file).size;
    const bar = progressBar();
    const report = await ingest.ingest(input, {
      source,
      format,
      batchId,
      province,
      now: new Date(),
      by: actorOf(commandLineUser()),
      ...(bar
        ? {
            onProgress: (n: number) => {
              bar.update(size === 0 ? 1 : input.bytesRead / size, `${n.toLocaleString('en')} records`);
            },
          }
        : {}),
    });
    bar?.end();
    return printRecordReport(report);
  });
}
