import { existsSync } from 'node:fs';
import { createContext } from '../app/context.ts';
import { loadConfig } from '../config/config.ts';
import { ERRORS } from '../errors/registry.ts';
import { importIdentities } from '../identity/identities.import.ts';
import { UsageError } from './usage-error.ts';

export async function identitiesCommand(args: string[]): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'import' || file === undefined) throw new UsageError('usage: yimatong identities import FILE');
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const ctx = await createContext(loadConfig());
  try {
    const progress = process.stderr.isTTY
      ? (n: number) => process.stderr.write(`\rread ${n} lines`)
      : undefined;
    const report = await importIdentities(ctx.db, ctx.cipher, file, new Date(), progress);
    if (progress) process.stderr.write('\n');
    const rejected = report.rejected.map((r) => ({
      ...r,
      message: ERRORS[r.code].message,
      messageEn: ERRORS[r.code].messageEn,
    }));
    process.stdout.write(`${JSON.stringify({ ...report, rejected }, null, 2)}\n`);
    return report.rejected.length === 0 ? 0 : 1;
  } finally {
    await ctx.close();
  }
}
