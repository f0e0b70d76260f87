/**
 * Builds the real hub (context and HTTP app) for tests, on SQLite in a temporary folder or on the local
 * PostgreSQL in a schema of its own. Data-layer suites loop over ENGINES.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { compose, type Parts } from '../../src/app/compose.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildApp } from '../../src/http/app.ts';

export type EngineName = 'sqlite' | 'postgres';
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The engines the data-layer suites run on: both, unless YMT_TEST_ENGINES names fewer (comma-separated).
 * scripts/run-tests.mjs sets YMT_TEST_ENGINES=sqlite when PostgreSQL is not reachable (and says so loudly).
 */
function enginesFromEnv(raw: string | undefined): readonly EngineName[] {
  if (raw === undefined || raw.trim() === '') return ['sqlite', 'postgres'];
  const names = raw.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => n !== 'sqlite' && n !== 'postgres');
  if (unknown.length > 0)
    throw new Error(`YMT_TEST_ENGINES=${raw}: expected sqlite, postgres or both (comma-separated)`);
  return (['sqlite', 'postgres'] as const).filter((e) => names.includes(e));
}
export const ENGINES: readonly EngineName[] = enginesFromEnv(process.env.YMT_TEST_ENGINES);

const POSTGRES_LEFT_OUT =
  `needs PostgreSQL, left out of this run: YMT_TEST_ENGINES=${String(process.env.YMT_TEST_ENGINES)} ` +
  `(scripts/run-tests.mjs sets it when nothing answers at ${redactedUrl(TEST_PG_URL)})`;

/**
 * For a suite that needs PostgreSQL by name: `describe(name, needsPostgres(), …)` runs it, or skips it with the
 * reason when PostgreSQL is left out of ENGINES.
 */
export function needsPostgres(): { skip?: string } {
  return ENGINES.includes('postgres') ? {} : { skip: POSTGRES_LEFT_OUT };
}

/** The URL without its password, for messages. */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** A settable clock, starting at a fixed instant. */
/**
 * Tests run hubs inside the test's own process, whose event loop also runs the test (fixtures, the browser's
 * driver, `spawnSync` of a command for seconds), or as many processes on a machine busy with other suites: the
 * loop's lateness there says nothing about the hub's own queue, and shedding on it would fail tests at random. So
 * tests turn it off (0); shedding on loop delay is tested where it is the point (test/http/overload.test.ts sets
 * its own limit) and measured by `npm run bench:overload`.
 */
export const TESTS_LOOP_DELAY = { LOOP_DELAY_LIMIT_MS: '0' } as const;

/**
 * Tests run provincial nodes on http://127.0.0.1, which the hub refuses as a node URL unless configured for
 * development (NODE_URLS_ALLOW_LOCAL, src/federation/node-url.domain.ts): hubs and nodes of such tests set it.
 */
export const LOCAL_NODE_URLS = { NODE_URLS_ALLOW_LOCAL: 'true' } as const;

export class TestClock {
  constructor(public nowMs: number = Date.parse('2026-11-27T02:00:00.000Z')) {}
  readonly now = (): Date => new Date(this.nowMs);
  advance(seconds: number): void {
    this.nowMs += seconds * 1000;
  }
}

export interface TestHub {
  /** The composed hub: its services, repositories and configuration (src/app/compose.ts). */
  readonly parts: Parts;
  /** The PostgreSQL schema of this hub (undefined on SQLite). */
  readonly schema: string | undefined;
  readonly clock: TestClock;
  readonly dataDir: string;
  close(): Promise<void>;
}

export interface TestHubOptions {
  readonly env?: Record<string, string>;
  readonly clock?: TestClock;
}

export async function startContext(engine: EngineName, options: TestHubOptions = {}): Promise<TestHub> {
  if (!ENGINES.includes(engine))
    throw new Error(
      `startContext('${engine}'): ${engine} is left out of this run (YMT_TEST_ENGINES=${String(process.env.YMT_TEST_ENGINES)}); ` +
        'guard the suite with needsPostgres() or loop over ENGINES',
    );
  const dataDir = mkdtempSync(join(tmpdir(), 'ymt-test-'));
  const clock = options.clock ?? new TestClock();
  const schema = engine === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    ...TESTS_LOOP_DELAY,
    ...(engine === 'postgres' ? { DATABASE_URL: TEST_PG_URL } : {}),
    ...options.env,
  });
  const parts = await compose(config, { clock: clock.now, ...(schema ? { pgSchema: schema } : {}) });
  return {
    parts,
    schema,
    clock,
    dataDir,
    async close() {
      await parts.close();
      // The PostgreSQL schema is left in place: dropping it while another test file's migrator introspects the
      // database makes that introspection fail ("schema does not exist"). scripts/run-tests.mjs drops the test
      // schemas of earlier runs before any test starts.
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestApp extends TestHub {
  readonly app: FastifyInstance;
}

export async function startApp(engine: EngineName, options: TestHubOptions = {}): Promise<TestApp> {
  const hub = await startContext(engine, options);
  const app = await buildApp(hub.parts);
  return {
    ...hub,
    app,
    async close() {
      await app.close();
      await hub.close();
    },
  };
}

/** Listens on a free loopback port; the base URL (real HTTP, for browsers and multi-process tests). */
export async function listenOnLoopback(hub: TestApp): Promise<string> {
  await hub.app.listen({ port: 0, host: '127.0.0.1' });
  const address = hub.app.server.address();
  if (address === null || typeof address !== 'object') throw new Error('the app is not listening on a port');
  return `http://127.0.0.1:${String(address.port)}`;
}
