/** A mistake on the command line: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * `SUBCOMMAND OPERAND [--options]`: the operand after the subcommand word is taken as it is, even when it starts
 * with `-` (a base64url key id may: `-Tq…`), and the rest is left for parseArgs.
 */
export function withOperand(args: readonly string[]): { sub?: string; operand?: string; rest: string[] } {
  const [sub, operand, ...rest] = args;
  if (sub === undefined || sub.startsWith('-')) return { rest: [...args] };
  if (operand === undefined || (operand.startsWith('--') && operand.length > 2))
    return { sub, rest: args.slice(1) };
  return { sub, operand: operand === '--' ? rest.shift() : operand, rest };
}
