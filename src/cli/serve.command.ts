import { compose } from '../app/compose.ts';
import { loadConfig } from '../config/config.ts';
import type { DemoCredentials } from '../demo/demo.loader.ts';
import { buildApp } from '../http/app.ts';
import {
  closeGracefully,
  listen,
  purgeSessionsPeriodically,
  runTicketsPeriodically,
  untilSignal,
} from './server-lifecycle.ts';

/** The demo credentials, shown once: at the start that created them. */
function printDemoCredentials(demo: DemoCredentials): void {
  process.stdout.write(
    [
      'Demo population loaded. Operations console credentials for this data folder (shown once; kept in',
      `${demo.file}):`,
      `  national operator:              ${demo.operator.token}`,
      `  Beijing's provincial authority: ${demo.province.token}`,
      `  railway department (feed key): ${demo.railway.token}`,
      '',
    ].join('\n'),
  );
}

export async function serveCommand(): Promise<number> {
  const config = loadConfig();
  const parts = await compose(config);
  const app = await buildApp(parts);
  const port = await listen(app, config);
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const where = parts.engine === 'sqlite' ? `sqlite: ${config.sqliteFile}` : 'postgres';
  if (parts.demo) printDemoCredentials(parts.demo);
  process.stdout.write(`yimatong hub listening on http://${shown}:${port} (${where})\n`);
  const stopPurge = purgeSessionsPeriodically(parts.services.auth, parts.clock, app);
  const s = parts.services;
  const stopTickets = runTicketsPeriodically(s.tickets, s.notifications, parts.clock, app);
  // The national status of the nodes' holders goes to their nodes (src/exchange).
  parts.hubExchange?.start((message) => {
    app.log.warn(message);
  });
  await untilSignal();
  stopPurge();
  stopTickets();
  await parts.hubExchange?.stop();
  await closeGracefully(app);
  await parts.close();
  return 0;
}
