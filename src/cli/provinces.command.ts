/**
 * `yimatong provinces enrol FILE | list | revoke-key KID --reason TEXT`: the hub operator's side of the
 * federation. A province hands over its enrolment file (public keys only, written by its node into
 * DATA_DIR/keys/enrolment.json); revoking a key takes it out of the next trust list everywhere — through the same
 * service as the console and the province API, with the same refusals (printed as coded errors, exit 1).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { commandLine } from '../app/compose.ts';
import { loadConfig } from '../config/config.ts';
import { parseEnrolment, type Enrolment } from '../federation/enrolment.ts';
import { UsageError, withOperand } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const USAGE = `usage: yimatong provinces enrol ENROLMENT.json
       yimatong provinces list
       yimatong provinces revoke-key KID --reason TEXT`;

const isoOf = (ms: number) => new Date(ms).toISOString();

export async function provincesCommand(args: string[]): Promise<number> {
  const { sub, operand: arg, rest } = withOperand(args);
  const { values } = parseArgs({ args: rest, options: { reason: { type: 'string' } } });
  if (!(
    (sub === 'list' && arg === undefined) ||
    (sub === 'enrol' && arg) ||
    (sub === 'revoke-key' && arg && values.reason !== undefined)
  ))
    throw new UsageError(USAGE);
  const config = loadConfig();
  let enrolment: Enrolment | undefined;
  if (sub === 'enrol') {
    const parsed = parseEnrolment(JSON.parse(readFileSync(String(arg), 'utf8')) as unknown, config.corpsCode);
    if (!parsed.ok) throw new UsageError(`${String(arg)}: ${parsed.problem}`);
    enrolment = parsed.enrolment;
  }
  return withParts(config, async ({ services: { provinces, issuerKeys } }) => {
    const now = new Date();
    if (enrolment) {
      const r = await provinces.enrol(enrolment, now);
      process.stdout.write(`${JSON.stringify({ province: enrolment.code, ...r })}\n`);
      return 0;
    }
    if (sub === 'list') {
      const rows = (await provinces.overview(commandLine()))
        .filter((p) => p.enrolled)
        .map((p) => ({
          code: p.code,
          name: p.name,
          rootKid: p.rootKid,
          nodeUrl: p.nodeUrl,
          keys: p.keys.map((k) => ({
            kid: k.kid,
            notBefore: isoOf(k.notBefore),
            notAfter: isoOf(k.notAfter),
            ...(k.revokedAt === null ? {} : { revokedAt: isoOf(k.revokedAt) }),
          })),
        }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const r = await issuerKeys.revoke(
      commandLine(),
      { kid: String(arg), reason: String(values.reason) },
      now,
    );
    process.stdout.write(`${JSON.stringify({ ...r, revoked: true })}\n`);
    return 0;
  });
}
