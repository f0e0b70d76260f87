/**
 * The audit log from the command line (docs/security.md#audit-log, docs/operations.md#audit-log):
 *
 * - `yimatong audit verify [--anchor FILE]`: checks the whole hash chain (and, with an anchor exported earlier,
 *   that the chain still holds the anchored entry, signed by this hub). Prints the report as JSON; exit 0 when the
 *   chain holds, 1 naming the first bad entry.
 * - `yimatong audit anchor [--out FILE]`: the chain's head, signed with the hub's trust anchor, for keeping
 *   elsewhere (another system, paper, a notary). Printed as JSON, or written to FILE.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { AuditAnchor } from '../audit/audit.service.ts';
import { loadConfig } from '../config/config.ts';
import { progressBar } from './output.ts';
import { UsageError } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const USAGE = `usage: yimatong audit verify [--anchor FILE]
       yimatong audit anchor [--out FILE]`;

function readAnchor(file: string): AuditAnchor {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--anchor: cannot read ${file} as JSON (${(e as Error).message})`);
  }
  const a = value as Partial<AuditAnchor> | null;
  if (
    a === null ||
    typeof a !== 'object' ||
    a.type !== 'yimatong-audit-anchor' ||
    !Number.isSafeInteger(a.seq) ||
    typeof a.hash !== 'string' ||
    typeof a.at !== 'string' ||
    typeof a.issuer !== 'string' ||
    typeof a.kid !== 'string' ||
    (a.alg !== 'ES256' && a.alg !== 'SM2') ||
    typeof a.signature !== 'string'
  )
    throw new UsageError(`--anchor: ${file} is not an anchor written by \`yimatong audit anchor\``);
  return a as AuditAnchor;
}

export async function auditCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { anchor: { type: 'string' }, out: { type: 'string' } },
  });
  const [sub, ...rest] = positionals;
  if (rest.length > 0 || (sub !== 'verify' && sub !== 'anchor')) throw new UsageError(USAGE);
  if (sub === 'verify' && values.out !== undefined) throw new UsageError(USAGE);
  if (sub === 'anchor' && values.anchor !== undefined) throw new UsageError(USAGE);
  const anchor = values.anchor === undefined ? undefined : readAnchor(values.anchor);
  return withParts(loadConfig(), async ({ services: { audit }, db }) => {
    const now = new Date();
    if (sub === 'anchor') {
      const signed = await audit.anchor(now);
      await audit.record(db, {
        at: now.getTime(),
        actorKind: 'cli',
        actorRef: userInfo().username,
        action: 'audit.anchor',
        subject: String(signed.seq),
        detail: JSON.stringify({ hash: signed.hash }),
      });
      const text = `${JSON.stringify(signed, null, 2)}\n`;
      if (values.out === undefined) process.stdout.write(text);
      else {
        if (existsSync(values.out)) {
          process.stderr.write(`${values.out} exists: an anchor is never written over another\n`);
          return 1;
        }
        writeFileSync(values.out, text, { flag: 'wx' });
        process.stderr.write(
          `Anchor of entry ${signed.seq} written to ${values.out}: keep it outside the hub.\n`,
        );
      }
      return 0;
    }
    const bar = progressBar();
    const report = await audit.verify(anchor, now, (checked, total) =>
      bar?.update(total === 0 ? 1 : checked / total, `${checked} of ${total} entries`),
    );
    bar?.end();
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  });
}
