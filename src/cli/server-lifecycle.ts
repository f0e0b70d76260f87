/** What the long-running commands (`serve`, `province`, `federation`) share: listening, housekeeping, stopping. */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import type { Clock } from '../time/clock.ts';

const SESSION_PURGE_INTERVAL_MS = 10 * 60_000;

/** Listens where the configuration says; returns the port (the one picked when PORT is 0). */
export async function listen(app: FastifyInstance, config: Config): Promise<number> {
  await app.listen({ port: config.port, host: config.host });
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
