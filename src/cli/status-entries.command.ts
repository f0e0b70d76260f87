/**
 * `yimatong status-entries add … | end ID --reason TEXT | list [--active]`: status entries as an operator on the
 * hub's machine records and ends them — through the same service as the console's status entries section, with the
 * same checks (a refusal prints its coded error with the field at fault, exit 1). Holders are shown masked.
 */
import { parseArgs } from 'node:util';
import { commandLine } from '../app/compose.ts';
import { loadConfig } from '../config/config.ts';
import { ENTRY_KINDS } from '../status/status-entries.domain.ts';
import type { StatusEntryView } from '../status/status-entries.service.ts';
import { UsageError, withOperand } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const USAGE = `usage: yimatong status-entries add --document-type id_card|passport --document-number N [--nationality XXX]
                                   --kind KIND [--until ISO-TIME] --reason TEXT
       yimatong status-entries end ENTRY_ID --reason TEXT
       yimatong status-entries list [--active]
kinds: ${ENTRY_KINDS.map((k) => `${k.code} (${k.colour}, ${k.caseStatus ?? 'no case status'})`).join(', ')}`;

const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const view = (e: StatusEntryView) => ({
  ...e,
  validFrom: isoOf(e.validFrom),
  validUntil: isoOf(e.validUntil),
  createdAt: isoOf(e.createdAt),
  ended: e.ended && { ...e.ended, at: isoOf(e.ended.at) },
});

export async function statusEntriesCommand(args: string[]): Promise<number> {
  const { sub, operand: id, rest } = withOperand(args);
  const { values } = parseArgs({
    args: rest,
    options: {
      'document-type': { type: 'string' },
      'document-number': { type: 'string' },
      nationality: { type: 'string' },
      kind: { type: 'string' },
      until: { type: 'string' },
      reason: { type: 'string' },
      active: { type: 'boolean', default: false },
    },
  });
  const type = values['document-type'];
  const number = values['document-number'];
  const { kind, reason } = values;
  const adding = sub === 'add' && id === undefined;
  if (!(
    (adding && type !== undefined && number !== undefined && kind !== undefined && reason !== undefined) ||
    (sub === 'end' && id !== undefined && reason !== undefined) ||
    (sub === 'list' && id === undefined)
  ))
    throw new UsageError(USAGE);
  // Options that belong to another subcommand are a mistake, not something to ignore.
  const given = Object.keys(values).filter((k) => k !== 'active' || values.active);
  const allowed = adding
    ? ['document-type', 'document-number', 'nationality', 'kind', 'until', 'reason']
    : sub === 'end'
      ? ['reason']
      : ['active'];
  if (given.some((k) => !allowed.includes(k))) throw new UsageError(USAGE);

  return withParts(loadConfig(), async ({ services: { statusEntries } }) => {
    const now = new Date();
    if (sub === 'list') {
      const entries = await statusEntries.list(commandLine(), { active: values.active }, now);
      process.stdout.write(`${JSON.stringify(entries.map(view), null, 2)}\n`);
      return 0;
    }
    const entry =
      sub === 'end'
        ? await statusEntries.end(commandLine(), String(id), String(reason), now)
        : await statusEntries.add(
            commandLine(),
            {
              documentType: String(type),
              documentNumber: String(number),
              nationality: values.nationality,
              kind: String(kind),
              until: values.until,
              reason: String(reason),
            },
            now,
          );
    process.stdout.write(`${JSON.stringify(view(entry))}\n`);
    return 0;
  });
}
