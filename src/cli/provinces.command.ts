/**
 * `yimatong provinces enrol FILE | list | revoke-key KID --reason TEXT`: the hub operator's side of the
 * federation. A province hands over its enrolment file (public keys only, written by its node into
 * DATA_DIR/keys/enrolment.json); revoking a key takes it out of the next trust list everywhere.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createContext } from '../app/context.ts';
import { loadConfig } from '../config/config.ts';
import { parseEnrolment } from '../federation/enrolment.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `usage: yimatong provinces enrol ENROLMENT.json
       yimatong provinces list
       yimatong provinces revoke-key KID --reason TEXT`;

export async function provincesCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { reason: { type: 'string' } },
  });
  const [sub, arg] = positionals;
  if (!(sub === 'list' || (sub === 'enrol' && arg) || (sub === 'revoke-key' && arg && values.reason)))
    throw new UsageError(USAGE);
  const config = loadConfig();
  let enrolment;
  if (sub === 'enrol') {
    const parsed = parseEnrolment(JSON.parse(readFileSync(String(arg), 'utf8')) as unknown, config.corpsCode);
    if (!parsed.ok) throw new UsageError(`${String(arg)}: ${parsed.problem}`);
    enrolment = parsed.enrolment;
  }
  const ctx = await createContext(config);
  try {
    const now = Date.now();
    if (enrolment) {
      const r = await ctx.federation.enrol(enrolment, now);
      process.stdout.write(`${JSON.stringify({ province: enrolment.code, ...r })}\n`);
      return 0;
    }
    if (sub === 'list') {
      const keysByIssuer = await ctx.federation.keysByIssuer();
      const rows = (await ctx.federation.provinces()).map((p) => ({
        code: p.code,
        name: ctx.provinces.get(p.code)?.name ?? p.code,
        rootKid: p.rootKid,
        nodeUrl: p.nodeUrl,
        keys: (keysByIssuer.get(p.code) ?? []).map((k) => ({
          kid: k.kid,
          notBefore: new Date(k.notBefore).toISOString(),
          notAfter: new Date(k.notAfter).toISOString(),
          ...(k.revokedAt === null ? {} : { revokedAt: new Date(k.revokedAt).toISOString() }),
        })),
      }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const key = await ctx.federation.key(String(arg));
    if (!key) {
      process.stderr.write(`no provincial key ${String(arg)}\n`);
      return 1;
    }
    const { changed } = await ctx.federation.revokeKey(key.kid, String(values.reason), now);
    process.stdout.write(`${JSON.stringify({ kid: key.kid, province: key.iss, revoked: true, changed })}\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}
