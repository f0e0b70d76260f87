/** Redis for the suites that share state through it: where it is, and whether it answers (in CI it must). */
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether Redis answers at TEST_REDIS_URL. In CI a silent Redis is an error (.ci/run starts it); elsewhere the
 * suite `what` is skipped, and says so.
 */
export async function redisForSuite(what: string): Promise<boolean> {
  const probe = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
  });
  probe.on('error', () => undefined);
  let up = false;
  try {
    await probe.connect();
    await probe.ping();
    up = true;
  } catch {
    up = false;
  } finally {
    probe.disconnect();
  }
  if (!up) {
    if (process.env.CI === 'true') throw new Error(`CI: Redis does not answer at ${TEST_REDIS_URL}`);
    process.stdout.write(`# skipped: Redis does not answer at ${TEST_REDIS_URL} (${what})\n`);
  }
  return up;
}
