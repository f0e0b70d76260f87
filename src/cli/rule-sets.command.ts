/**
 * `yimatong rule-sets list | validate FILE | publish FILE [--status]`: acceptance rule sets (the default) or, with
 * `--status`, status rule sets, as an operator on the hub's machine — through the same services as the operations
 * console and the province API, with the same checks and refusals (a refusal prints its coded error, exit 1).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { commandLine } from '../app/compose.ts';
import { loadConfig } from '../config/config.ts';
import type { PublicationCheck } from '../rule-sets/publication.ts';
import { UsageError } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const USAGE = `usage: yimatong rule-sets list [--status]
       yimatong rule-sets validate FILE [--status]
       yimatong rule-sets publish FILE [--status]`;

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function readDocument(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new UsageError(`${file}: not a JSON file (${(e as Error).message})`);
  }
}

export async function ruleSetsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { status: { type: 'boolean', default: false } },
  });
  const [sub, file] = positionals;
  if (!(sub === 'list' || ((sub === 'validate' || sub === 'publish') && file !== undefined)))
    throw new UsageError(USAGE);
  const doc = file === undefined ? undefined : readDocument(file);
  const statusKind = values.status;
  return withParts(loadConfig(), async ({ services: { acceptanceRuleSets, statusRuleSets } }) => {
    const actor = commandLine();
    const now = new Date();
    if (sub === 'list') {
      const views = statusKind ? await statusRuleSets.list(now) : await acceptanceRuleSets.list(actor, now);
      print(views.map((v) => ({ ...v, validFrom: isoOf(v.validFrom), publishedAt: isoOf(v.publishedAt) })));
      return 0;
    }
    if (sub === 'validate') {
      const check: PublicationCheck<unknown> = statusKind
        ? await statusRuleSets.check(doc)
        : await acceptanceRuleSets.check(actor, doc);
      print(
        check.ok ? { ok: true, problems: [] } : { ok: false, code: check.code, problems: check.problems },
      );
      return check.ok ? 0 : 1;
    }
    const { ruleSet, created } = statusKind
      ? await statusRuleSets.publish(doc, actor, now)
      : await acceptanceRuleSets.publish(actor, doc, now);
    print({ id: ruleSet.id, version: ruleSet.version, validFrom: isoOf(ruleSet.validFrom), created });
    return 0;
  });
}
