import { createContext } from '../app/context.ts';
import { loadConfig } from '../config/config.ts';
import { buildApp } from '../http/app.ts';
import { listen, purgeSessionsPeriodically, untilSignal } from './server-lifecycle.ts';

export async function serveCommand(): Promise<number> {
  const config = loadConfig();
  const ctx = await createContext(config);
  const app = await buildApp(ctx);
  const port = await listen(app, config);
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const where = ctx.engine === 'sqlite' ? `sqlite: ${config.sqliteFile}` : 'postgres';
  process.stdout.write(`yimatong hub listening on http://${shown}:${port} (${where})\n`);
  const stopPurge = purgeSessionsPeriodically(ctx, app);
  await untilSignal();
  stopPurge();
  await app.close();
  await ctx.close();
  return 0;
}
