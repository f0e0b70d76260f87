/** What the commands that work on the hub's data share: composing the hub, closing it, and coded refusals. */
import { compose, type Parts } from '../app/compose.ts';
import type { Config } from '../config/config.ts';
import { AppError } from '../errors/app-error.ts';

/**
 * Composes the hub from `config`, runs `work` with it and closes it. A coded refusal (AppError) from a service is
 * printed as JSON on stderr — code, Chinese and English messages, the fields at fault — and exits 1, as the same
 * refusal is a 4xx over HTTP.
 */
export async function withParts(config: Config, work: (parts: Parts) => Promise<number>): Promise<number> {
  const parts = await compose(config);
  try {
    return await work(parts);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    process.stderr.write(`${JSON.stringify(e.toBody())}\n`);
    return 1;
  } finally {
    await parts.close();
  }
}
