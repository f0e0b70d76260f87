/**
 * `yimatong serve --workers N` (docs/operations.md#workers): this process, the cluster's primary, answers no request;
 * it starts N workers (node:cluster) that share the port, each a whole hub on the one database. The first worker
 * starts alone — it migrates the database, makes the keys and loads the demo population — and leads: housekeeping
 * that must run once runs there. The others start when it is ready. Without Redis, the primary keeps the rate
 * limits and the nonces of signed requests for every worker (src/limits). A worker that dies is replaced (the lead
 * by a new lead); a signal stops them all, each finishing its requests.
 */
import cluster, { type Worker } from 'node:cluster';
import { mergeWorkersMetrics } from '../http/cluster-metrics.ts';
import { answerWorkersOnce } from '../limits/once.ts';
import { limitWorkers } from '../limits/rate-limits.ts';
import { SHUTDOWN_GRACE_MS, untilSignal } from './server-lifecycle.ts';

/** Set to 1 in the environment of the worker that leads. */
export const LEAD_ENV = 'YMT_SERVE_LEAD';
const CHANNEL = 'ymt:serve';
/** A worker that dies is replaced after this pause (a worker failing at once is not restarted in a tight loop). */
const RESTART_PAUSE_MS = 1000;
/** The longest pause between two replacements that each died before they were ready. */
const MAX_RESTART_PAUSE_MS = 60_000;

/**
 * The pause before replacing a worker, after `failedInARow` replacements in a row died before they were ready (a
 * database away, a damaged key file): 1 s, then doubled each time up to a minute, so a worker that cannot start
 * does not fill the log and load the machine every second. A replacement that becomes ready starts the count again.
 */
export function restartPause(failedInARow: number): number {
  return Math.min(RESTART_PAUSE_MS * 2 ** Math.min(failedInARow, 16), MAX_RESTART_PAUSE_MS);
}

type Message = { channel: typeof CHANNEL; ready: number } | { channel: typeof CHANNEL; stop: true };

const ours = (m: unknown): m is Message =>
  typeof m === 'object' && m !== null && (m as { channel?: unknown }).channel === CHANNEL;

/** In a worker: tells the primary it listens (on `port`). */
export function tellPrimaryReady(port: number): void {
  process.send?.({ channel: CHANNEL, ready: port } satisfies Message);
}

/**
 * In a worker still starting: the primary gone (its channel closed) ends the worker at once, with exit code 1. Without
 * it, a worker whose primary was killed mid-start waits for ever — `listen` asks the primary for the port, and no
 * answer comes — ignoring SIGTERM, and holding the primary's output open. Returns the guard's removal, for when the
 * worker is ready and `untilStopped` takes over.
 */
export function exitIfOrphanedWhileStarting(): () => void {
  const gone = () => process.exit(1);
  if (!process.connected) gone();
  process.once('disconnect', gone);
  return () => process.off('disconnect', gone);
}

/**
 * In a worker: resolves when the primary says stop, or the primary is gone. Signals are the primary's to act on
 * (Ctrl-C reaches every process of the terminal's group): a worker ignores them and waits for the word. A primary
 * gone while the worker was still starting (its channel already closed, so no `disconnect` event will come) stops
 * the worker at once: it would otherwise live on, ignoring SIGTERM, holding the primary's output open.
 */
export function untilStopped(): Promise<void> {
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  return new Promise<void>((resolve) => {
    if (!process.connected) {
      resolve();
      return;
    }
    process.on('message', (m: unknown) => {
      if (ours(m) && 'stop' in m) resolve();
    });
    process.once('disconnect', () => {
      resolve();
    });
  });
}

/** Resolves with the port once the worker listens; rejects if it exits first. */
function readyOf(worker: Worker): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    worker.on('message', (m: unknown) => {
      if (ours(m) && 'ready' in m) resolve(m.ready);
    });
    worker.once('exit', (code, signal) => {
      reject(new Error(`a worker exited (${signal ? signal : String(code)}) before it was ready`));
    });
  });
}

/** Stops every worker: each finishes its requests (up to the grace), then is killed if still there. */
async function stopAll(): Promise<void> {
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) {
            resolve();
            return;
          }
          const kill = setTimeout(() => w.process.kill('SIGKILL'), SHUTDOWN_GRACE_MS + 5000);
          w.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          if (w.isConnected()) w.send({ channel: CHANNEL, stop: true } satisfies Message);
          else w.process.kill('SIGTERM');
        }),
    ),
  );
}

/** Runs `workers` workers until a signal; the listening line is printed once all are ready. */
export async function superviseWorkers(
  workers: number,
  listeningLine: (port: number) => string,
): Promise<number> {
  limitWorkers();
  answerWorkersOnce();
  mergeWorkersMetrics();
  const leads = new Set<number>();
  /** Workers that said they listen. */
  const ready = new Set<number>();
  let failedInARow = 0;
  const fork = (lead: boolean): Worker => {
    const w = cluster.fork({ [LEAD_ENV]: lead ? '1' : '0' });
    if (lead) leads.add(w.id);
    w.on('message', (m: unknown) => {
      if (!ours(m) || !('ready' in m)) return;
      ready.add(w.id);
      if (failedInARow > 0)
        process.stderr.write(
          `a worker (pid ${String(w.process.pid)}) is ready, after ${String(failedInARow)} that died before they were\n`,
        );
      failedInARow = 0;
    });
    return w;
  };
  let port: number;
  try {
    port = await readyOf(fork(true));
    await Promise.all(Array.from({ length: workers - 1 }, () => readyOf(fork(false))));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}: stopping\n`);
    await stopAll();
    return 1;
  }
  process.stdout.write(listeningLine(port));
  let stopping = false;
  cluster.on('exit', (w, code, signal) => {
    if (stopping) return;
    const lead = leads.delete(w.id);
    if (!ready.delete(w.id)) failedInARow += 1;
    const pause = restartPause(failedInARow);
    process.stderr.write(
      `a ${lead ? 'lead ' : ''}worker (pid ${String(w.process.pid)}) exited (${signal ? signal : String(code)})${failedInARow > 0 ? ` before it was ready (${String(failedInARow)} in a row)` : ''}: replacing it in ${String(pause / 1000)} s\n`,
    );
    setTimeout(() => {
      if (!stopping) fork(lead);
    }, pause);
  });
  await untilSignal();
  stopping = true;
  await stopAll();
  return 0;
}
