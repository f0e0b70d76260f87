/**
 * `yimatong operators add --name NAME [--province CODE] | list | disable ID`: the operations console's accounts.
 * Without `--province` the account is national operations staff (`operator`); with it, the authority of that
 * provincial unit (`province`). The token is printed once, at creation.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { ProvinceRegistry } from '../provinces/province-registry.ts';
import { UsageError } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const USAGE = `usage: yimatong operators add --name NAME [--province CODE]
       yimatong operators list
       yimatong operators disable ACCOUNT_ID`;

export async function operatorsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, province: { type: 'string' } },
  });
  const [sub, id] = positionals;
  const name = values.name?.trim() ?? '';
  const province = values.province ?? null;
  const config = loadConfig();
  if (sub === 'add') {
    if (name === '' || name.length > 100) throw new UsageError(USAGE);
    if (province !== null && new ProvinceRegistry(config.corpsCode).get(province) === undefined) {
      throw new UsageError(
        `--province must be one of the 32 provincial units (such as 440000, or the Corps' ${config.corpsCode})`,
      );
    }
  } else if (sub !== 'list' && !(sub === 'disable' && id !== undefined)) {
    throw new UsageError(USAGE);
  }
  return withParts(config, async ({ services: { consoleAccounts: accounts } }) => {
    const now = new Date();
    if (sub === 'add') {
      const account = await accounts.create(name, province, now);
      process.stdout.write(`${JSON.stringify(account, null, 2)}\n`);
      process.stderr.write('Keep the token: it is shown only once.\n');
      return 0;
    }
    if (sub === 'list') {
      process.stdout.write(`${JSON.stringify(await accounts.list(), null, 2)}\n`);
      return 0;
    }
    const disabled = await accounts.disable(String(id), now);
    process.stdout.write(`${JSON.stringify({ accountId: id, disabled })}\n`);
    return disabled ? 0 : 1;
  });
}
