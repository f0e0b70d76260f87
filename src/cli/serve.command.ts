import { createContext } from '../app/context.ts';
import { loadConfig } from '../config/config.ts';
import { buildApp } from '../http/app.ts';

const SESSION_PURGE_INTERVAL_MS = 10 * 60_000;

export async function serveCommand(): Promise<number> {
  const config = loadConfig();
  const ctx = await createContext(config);
  const app = await buildApp(ctx);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const where = ctx.engine === 'sqlite' ? `sqlite: ${config.sqliteFile}` : 'postgres';
  process.stdout.write(`yimatong hub listening on http://${shown}:${port} (${where})\n`);
  const purge = setInterval(() => {
    ctx.auth.purgeExpiredSessions(ctx.clock()).catch((e: unknown) => {
      app.log.error({ err: e }, 'session purge failed');
    });
  }, SESSION_PURGE_INTERVAL_MS);
  purge.unref();
  await new Promise<void>((resolve) => {
    const stop = () => {
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(purge);
  await app.close();
  await ctx.close();
  return 0;
}
