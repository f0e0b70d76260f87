/**
 * Field staff from the command line (docs/registrars.md, docs/checkpoint-lookups.md):
 *
 * - `yimatong registrars add --name NAME --region CODE | list | disable ID`: community or institution staff who
 *   record declarations for people without a phone and print their paper codes;
 * - `yimatong checkpoint-staff add --name NAME --region CODE | list | disable ID`: checkpoint staff who look a
 *   person up by document and record a manual check.
 *
 * The region is the GB/T 2260 code of the area they serve. The token is printed once, at creation.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { isKnownRegion } from '../regions/regions.ts';
import type { StaffRole } from '../staff/staff.repository.ts';
import { UsageError } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const COMMAND: Record<StaffRole, string> = { registrar: 'registrars', checkpoint: 'checkpoint-staff' };

async function staffCommand(role: StaffRole, args: string[]): Promise<number> {
  const command = COMMAND[role];
  const usage = `usage: yimatong ${command} add --name NAME --region CODE
       yimatong ${command} list
       yimatong ${command} disable STAFF_ID`;
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, region: { type: 'string' } },
  });
  const [sub, id] = positionals;
  const name = values.name?.trim() ?? '';
  const region = values.region ?? '';
  if (sub === 'add') {
    if (name === '' || name.length > 100) throw new UsageError(usage);
    if (!isKnownRegion(region))
      throw new UsageError('--region must be a GB/T 2260 code (a province, city or county, such as 310101)');
  } else if (sub !== 'list' && !(sub === 'disable' && id !== undefined)) {
    throw new UsageError(usage);
  }
  return withParts(loadConfig(), async ({ services: { staff } }) => {
    const now = new Date();
    if (sub === 'add') {
      process.stdout.write(`${JSON.stringify(await staff.create(role, name, region, now), null, 2)}\n`);
      process.stderr.write('Keep the token: it is shown only once.\n');
      return 0;
    }
    if (sub === 'list') {
      process.stdout.write(`${JSON.stringify(await staff.list(role), null, 2)}\n`);
      return 0;
    }
    const disabled = await staff.disable(role, String(id), now);
    process.stdout.write(`${JSON.stringify({ staffId: id, disabled })}\n`);
    return disabled ? 0 : 1;
  });
}

export const registrarsCommand = (args: string[]): Promise<number> => staffCommand('registrar', args);
export const checkpointStaffCommand = (args: string[]): Promise<number> => staffCommand('checkpoint', args);
