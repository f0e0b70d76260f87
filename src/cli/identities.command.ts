import { existsSync } from 'node:fs';
import { actorOf, commandLineUser } from '../audit/audited.ts';
import { loadConfig } from '../config/config.ts';
import { importIdentities } from '../identity/identities.import.ts';
import { printRecordReport, progressBar } from './output.ts';
import { UsageError } from './usage-error.ts';
import { withParts } from './with-parts.ts';

export async function identitiesCommand(args: string[]): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'import' || file === undefined) throw new UsageError('usage: yimatong identities import FILE');
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  return withParts(loadConfig(), async ({ db, repositories: { persons } }) => {
    const bar = progressBar();
    const report = await importIdentities(db, persons, file, new Date(), actorOf(commandLineUser()), (n) =>
      bar?.update(undefined, `${n.toLocaleString('en')} lines`),
    );
    bar?.end();
    return printRecordReport(report);
  });
}
