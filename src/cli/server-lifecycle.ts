/** What the long-running commands (`serve`, `province`, `federation`) share: listening, housekeeping, stopping. */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import type { Clock } from '../time/clock.ts';

const SESSION_PURGE_INTERVAL_MS = 10 * 60_000;

/** Listens where the configuration says; returns the port (the one picked when PORT is 0). */
export async function listen(app: FastifyInstance, config: Config): Promise<number> {
  await app.listen({ port: config.port, host: config.host });
  const requests = { count: 0 };
  inFlight.set(app, requests);
  app.server.on('request', (_req, res) => {
    requests.count++;
    res.once('close', () => {
      requests.count--;
    });
  });
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : config.port;
}

/** Deletes expired sign-in sessions every ten minutes; returns the function that stops it. */
export function purgeSessionsPeriodically(
  auth: { purgeExpiredSessions(now: Date): Promise<number> },
  clock: Clock,
  app: FastifyInstance,
): () => void {
  const purge = setInterval(() => {
    auth.purgeExpiredSessions(clock()).catch((e: unknown) => {
      app.log.error({ err: e }, 'session purge failed');
    });
  }, SESSION_PURGE_INTERVAL_MS);
  purge.unref();
  return () => {
    clearInterval(purge);
  };
}

/** The first purge after start: soon, but not in the start's own rush. */
const FIRST_PURGE_AFTER_MS = 60_000;

/**
 * Purges what is past its window (docs/operations.md#retention) a minute after start, then every `intervalMinutes`;
 * one round at a time. On PostgreSQL a round another process is already running is skipped (its advisory lock).
 * Returns the function that stops it.
 */
export function purgePeriodically(
  retention: { purge(now: Date): Promise<Readonly<Record<string, number>> | undefined> },
  clock: Clock,
  app: FastifyInstance,
  intervalMinutes: number,
): () => void {
  let running = false;
  const round = () => {
    if (running) return;
    running = true;
    retention
      .purge(clock())
      .then((removed) => {
        if (removed === undefined) app.log.info('purge skipped: another process is purging');
        else if (Object.values(removed).some((n) => n > 0)) app.log.info({ removed }, 'purged expired data');
      })
      .catch((e: unknown) => {
        app.log.error({ err: e }, 'purge failed');
      })
      .finally(() => {
        running = false;
      });
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    round();
    interval = setInterval(round, intervalMinutes * 60_000);
    interval.unref();
  }, FIRST_PURGE_AFTER_MS);
  first.unref();
  return () => {
    clearTimeout(first);
    clearInterval(interval);
  };
}

const TICKETS_INTERVAL_MS = 60_000;

/**
 * Every minute: overdue tickets escalate to the national operators, decided ones close after their window
 * (docs/corrections.md#deadlines), and the holders' notifications are delivered through their channels (the
 * shipped one writes to this log). Returns the function that stops it.
 */
export function runTicketsPeriodically(
  tickets: { sweep(now: Date): Promise<unknown> },
  notifications: { deliver(now: Date, log: (line: string) => void): Promise<number> },
  clock: Clock,
  app: FastifyInstance,
): () => void {
  let running = false;
  const round = async () => {
    await tickets.sweep(clock());
    await notifications.deliver(clock(), (line) => {
      app.log.info(line);
    });
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    round()
      .catch((e: unknown) => {
        app.log.error({ err: e }, 'tickets round failed');
      })
      .finally(() => {
        running = false;
      });
  }, TICKETS_INTERVAL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}

/** How long requests still running at shutdown may take before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** Requests being answered, per server (counted from `listen`). */
const inFlight = new WeakMap<FastifyInstance, { count: number }>();

/**
 * Stops the server: no new connection; the requests in flight finish (up to `graceMs`), then every connection left
 * is closed. Waiting for keep-alive connections to time out instead would hold the process 72 s whenever a peer
 * (a node, the hub) keeps a pooled connection open.
 */
export async function closeGracefully(app: FastifyInstance, graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
  const closed = app.close();
  const until = Date.now() + graceMs;
  const requests = inFlight.get(app) ?? { count: 0 };
  const poll = setInterval(() => {
    if (requests.count === 0 || Date.now() >= until) {
      clearInterval(poll);
      app.server.closeAllConnections();
    }
  }, 50);
  try {
    await closed;
  } finally {
    clearInterval(poll);
  }
}

/** Resolves at the first SIGINT (Ctrl-C) or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
