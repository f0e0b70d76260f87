/**
 * `yimatong serve [--workers N]`: the hub. With one worker this process answers; with more (WORKERS, default the
 * number of cores) this process supervises N workers that share the port and the database (serve-workers.ts).
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config/config.ts';
import type { DemoCredentials } from '../demo/demo.loader.ts';
import {
  closeGracefully,
  listen,
  purgePeriodically,
  purgeSessionsPeriodically,
  runTicketsPeriodically,
  untilSignal,
} from './server-lifecycle.ts';
import {
  exitIfOrphanedWhileStarting,
  LEAD_ENV,
  superviseWorkers,
  tellPrimaryReady,
  untilStopped,
} from './serve-workers.ts';
import { UsageError } from './usage-error.ts';

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

/** The line a person (and `yimatong federation`) reads: where the hub listens. */
export function listeningLine(config: Config, port: number, workers: number): string {
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const where = config.databaseUrl === undefined ? `sqlite: ${config.sqliteFile}` : 'postgres';
  const processes = workers > 1 ? `, ${String(workers)} workers` : '';
  return `yimatong hub listening on http://${shown}:${port} (${where}${processes})\n`;
}

/**
 * One process answering: alone, or as a worker. The lead (the only process, or the cluster's first worker) also runs
 * the housekeeping that must run once: the retention purge, tickets' deadlines and notifications, the national
 * exchange.
 */
async function serveOne(config: Config, asWorker: boolean): Promise<number> {
  const lead = !asWorker || process.env[LEAD_ENV] === '1';
  const started = asWorker ? exitIfOrphanedWhileStarting() : () => undefined;
  // Loaded here: the primary of `--workers` answers no request and stays small.
  const { compose } = await import('../app/compose.ts');
  const { buildApp } = await import('../http/app.ts');
  const parts = await compose(config, { clusterWorker: asWorker });
  const app = await buildApp(parts);
  const port = await listen(app, config);
  if (parts.demo) printDemoCredentials(parts.demo);
  started();
  if (asWorker) tellPrimaryReady(port);
  else process.stdout.write(listeningLine(config, port, 1));
  const stops: (() => void)[] = [];
  if (lead) {
    const s = parts.services;
    // What is past its window (docs/operations.md#retention), sessions included; with RETENTION_INTERVAL_MINUTES=0
    // only expired sessions (`yimatong purge` run by the operator does the rest).
    const every = config.retentionIntervalMinutes;
    stops.push(
      every > 0
        ? purgePeriodically(s.retention, parts.clock, app, every)
        : purgeSessionsPeriodically(s.auth, parts.clock, app),
    );
    stops.push(runTicketsPeriodically(s.tickets, s.notifications, parts.clock, app));
    // The national status of the nodes' holders goes to their nodes (src/exchange).
    parts.hubExchange?.start((message) => {
      app.log.warn(message);
    });
  }
  await (asWorker ? untilStopped() : untilSignal());
  for (const stop of stops) stop();
  await parts.hubExchange?.stop();
  await closeGracefully(app);
  await parts.close();
  if (asWorker) process.disconnect();
  return 0;
}

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { workers: { type: 'string' } } });
  const config = loadConfig();
  if (cluster.isWorker) return serveOne(config, true);
  let workers = config.workers;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 64)
      throw new UsageError('usage: yimatong serve [--workers N]   (N from 1 to 64; default WORKERS)');
  }
  if (workers === 1) return serveOne(config, false);
  return superviseWorkers(workers, (port) => listeningLine(config, port, workers));
}
