/**
 * `yimatong departments add --source S --name N [--province CODE] | list | revoke ID`: the credentials departments
 * send feeds with. The token is printed once, at creation.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { FEED_SOURCES, isFeedSource } from '../feeds/feed-records.domain.ts';
import { isKnownRegion } from '../regions/regions.ts';
import { UsageError } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const USAGE = `usage: yimatong departments add --source <${FEED_SOURCES.join('|')}> --name NAME [--province CODE]
       yimatong departments list
       yimatong departments revoke DEPARTMENT_ID`;

export async function departmentsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { source: { type: 'string' }, name: { type: 'string' }, province: { type: 'string' } },
  });
  const [sub, id] = positionals;
  const province = values.province ?? null;
  if (sub === 'add') {
    if (values.source === undefined || !isFeedSource(values.source)) throw new UsageError(USAGE);
    if (values.name === undefined || values.name.trim() === '') throw new UsageError(USAGE);
    if (province !== null && (!/^\d{2}0000$/.test(province) || !isKnownRegion(province))) {
      throw new UsageError('--province must be a province code such as 440000');
    }
  } else if (sub !== 'list' && !(sub === 'revoke' && id !== undefined)) {
    throw new UsageError(USAGE);
  }
  return withParts(loadConfig(), async ({ services: { departments } }) => {
    const now = new Date();
    if (sub === 'add' && values.source !== undefined && isFeedSource(values.source)) {
      const d = await departments.create(String(values.name).trim(), values.source, province, now);
      process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
      process.stderr.write('Keep the token: it is shown only once.\n');
      return 0;
    }
    if (sub === 'list') {
      process.stdout.write(`${JSON.stringify(await departments.list(), null, 2)}\n`);
      return 0;
    }
    const revoked = await departments.revoke(String(id), now);
    process.stdout.write(`${JSON.stringify({ departmentId: id, revoked })}\n`);
    return revoked ? 0 : 1;
  });
}
