/**
 * `yimatong purge [--dry-run]`: removes now what is past its retention window (docs/operations.md#retention), as
 * `yimatong serve` does every RETENTION_INTERVAL_MINUTES, and prints what it removed per kind as JSON. `--dry-run`
 * counts the same rows in one transaction it rolls back. Exit 1 when another process is purging (PostgreSQL).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { withParts } from './with-parts.ts';

export async function purgeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } } });
  const dryRun = values['dry-run'];
  return withParts(loadConfig(), async (parts) => {
    const at = parts.clock();
    const removed = await parts.services.retention.purge(at, { dryRun });
    if (removed === undefined) {
      process.stderr.write('another process is purging now: nothing done\n');
      return 1;
    }
    const windows = parts.services.retention.windows;
    process.stdout.write(`${JSON.stringify({ at: at.toISOString(), dryRun, windows, removed }, null, 2)}\n`);
    return 0;
  });
}
