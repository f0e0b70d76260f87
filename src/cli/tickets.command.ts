/**
 * `yimatong tickets list [--status open|answered] | answer TICKET_ID --answer TEXT`: the national operators'
 * ticket queue on the hub's machine, answered through the same service as the console and the province API.
 * What holders wrote is shown masked, as the console shows it.
 */
import { reportFilter, reportStatus } from '../tickets/tickets.service.ts';
import { parseArgs } from 'node:util';
import { commandLine } from '../app/compose.ts';
import { loadConfig } from '../config/config.ts';
import { scrubText } from '../privacy/record-masking.ts';
import type { NonRecognition } from '../tickets/non-recognition.ts';
import type { Ticket } from '../tickets/tickets.repository.ts';
import { UsageError, withOperand } from './usage-error.ts';
import { withParts } from './with-parts.ts';

const USAGE = `usage: yimatong tickets list [--status open|answered]
       yimatong tickets answer TICKET_ID --answer TEXT`;

const view = (t: Ticket<NonRecognition>) => ({
  ticketId: t.ticketId,
  kind: t.kind,
  status: reportStatus(t.state),
  province: t.province,
  region: t.region,
  details: {
    ...t.details,
    ...(t.details.description === undefined ? {} : { description: scrubText(t.details.description, false) }),
  },
  answer: t.answer,
  createdAt: new Date(t.createdAt).toISOString(),
  updatedAt: new Date(t.updatedAt).toISOString(),
});

export async function ticketsCommand(args: string[]): Promise<number> {
  const { sub, operand: id, rest } = withOperand(args);
  const { values } = parseArgs({
    args: rest,
    options: { status: { type: 'string' }, answer: { type: 'string' } },
  });
  const status = values.status;
  if (status !== undefined && status !== 'open' && status !== 'answered') throw new UsageError(USAGE);
  if (!(
    (sub === 'list' && id === undefined) ||
    (sub === 'answer' && id !== undefined && values.answer !== undefined)
  ))
    throw new UsageError(USAGE);
  return withParts(loadConfig(), async ({ services: { tickets } }) => {
    if (sub === 'list') {
      const queue = await tickets.queue<NonRecognition>(commandLine(), reportFilter(status));
      process.stdout.write(`${JSON.stringify(queue.map(view), null, 2)}\n`);
      return 0;
    }
    const answered = await tickets.answer<NonRecognition>(
      commandLine(),
      String(id),
      String(values.answer),
      new Date(),
    );
    process.stdout.write(`${JSON.stringify(view(answered))}\n`);
    return 0;
  });
}
