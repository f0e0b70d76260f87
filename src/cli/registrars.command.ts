/**
 * `yimatong registrars add --name NAME --region CODE | list | disable ID`: registrars, the community or institution
 * staff who record declarations for people without a phone and print their paper codes (docs/registrars.md).
 * The region is the GB/T 2260 code of the area they serve. The token is printed once, at creation.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { isKnownRegion } from '../regions/regions.ts';
import { UsageError } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const USAGE = `usage: yimatong registrars add --name NAME --region CODE
       yimatong registrars list
       yimatong registrars disable REGISTRAR_ID`;

export async function registrarsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, region: { type: 'string' } },
  });
  const [sub, id] = positionals;
  const name = values.name?.trim() ?? '';
  const region = values.region ?? '';
  if (sub === 'add') {
    if (name === '' || name.length > 100) throw new UsageError(USAGE);
    if (!isKnownRegion(region))
      throw new UsageError('--region must be a GB/T 2260 code (a province, city or county, such as 310101)');
  } else if (sub !== 'list' && !(sub === 'disable' && id !== undefined)) {
    throw new UsageError(USAGE);
  }
  return withParts(loadConfig(), async ({ services: { registrations } }) => {
    const now = new Date();
    if (sub === 'add') {
      process.stdout.write(`${JSON.stringify(await registrations.create(name, region, now), null, 2)}\n`);
      process.stderr.write('Keep the token: it is shown only once.\n');
      return 0;
    }
    if (sub === 'list') {
      process.stdout.write(`${JSON.stringify(await registrations.list(), null, 2)}\n`);
      return 0;
    }
    const disabled = await registrations.disable(String(id), now);
    process.stdout.write(`${JSON.stringify({ registrarId: id, disabled })}\n`);
    return disabled ? 0 : 1;
  });
}
