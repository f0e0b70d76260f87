import { existsSync } from 'node:fs';
import { createContext } from '../app/context.ts';
import { loadConfig } from '../config/config.ts';
import { importIdentities } from '../identity/identities.import.ts';
import { printRecordReport, progressBar } from './output.ts';
import { UsageError } from './usage-error.ts';

export async function identitiesCommand(args: string[]): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'import' || file === undefined) throw new UsageError('usage: yimatong identities import FILE');
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const ctx = await createContext(loadConfig());
  try {
    const bar = progressBar();
    const report = await importIdentities(ctx.db, ctx.cipher, file, new Date(), (n) =>
      bar?.update(undefined, `${n.toLocaleString('en')} lines`),
    );
    bar?.end();
    return printRecordReport(report);
  } finally {
    await ctx.close();
  }
}
