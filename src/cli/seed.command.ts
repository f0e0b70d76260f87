/**
 * `yimatong seed --people N --days 14 --seed S [--until YYYY-MM-DD] [--out DIR]`: generates a deterministic
 * population with its feed files and loads them through the real ingestion path. Progress on stderr.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seedDeps } from '../app/compose.ts';
import { loadConfig } from '../config/config.ts';
import { seedPopulation } from '../seed/seed.loader.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { progressBar } from './output.ts';
import { UsageError } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const USAGE = 'usage: yimatong seed --people N [--days 14] [--seed 1] [--until YYYY-MM-DD] [--out DIR]';

function whole(value: string | undefined, fallback: number, min: number, max: number, name: string): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}\n${USAGE}`);
  return n;
}

export async function seedCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      people: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      until: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.people === undefined) throw new UsageError(USAGE);
  const people = whole(values.people, 0, 1, 50_000_000, 'people');
  const days = whole(values.days, 14, 1, 60, 'days');
  const seed = whole(values.seed, 1, 0, 2 ** 32 - 1, 'seed');
  const until = values.until ?? shanghaiDate(new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(Date.parse(until)))
    throw new UsageError('--until must be YYYY-MM-DD');
  const config = loadConfig();
  return withParts(config, async (parts) => {
    const dir = values.out ?? join(config.dataDir, 'seed', `${seed}-${people}-${until}`);
    const bar = progressBar();
    const report = await seedPopulation(
      seedDeps(parts),
      { people, days, seed, until },
      dir,
      (step, done, total) => bar?.update(done / total, step.padEnd(12)),
    );
    bar?.end();
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  });
}
