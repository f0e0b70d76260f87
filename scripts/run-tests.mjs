// Runs test/**/*.test.ts with Node's own test runner, TypeScript through tsx's loader.
// Usage: node scripts/run-tests.mjs [--unit] [--list] [substring …]
//   substring …  only files whose path contains one of the substrings
//   --unit       only the unit tests (see notUnitBecause): no PostgreSQL, no browser, no child processes
//   --list       print the selected files, each marked unit or not (with the reason), and run nothing
//
// PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) is probed first. When it does
// not answer: with CI=true the run fails at once; otherwise the tests run on SQLite alone (YMT_TEST_ENGINES=sqlite,
// read by test/helpers/context.ts) under a banner, printed before and after the run, that says so.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import pg from 'pg';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROBE_TIMEOUT_MS = 3000;

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

// What makes a test file not a unit test. A unit test runs in its own process alone: no database server, no
// browser, no child process, no build output. Read from the source, following the file's runtime imports of other
// files under test/ (helpers), not those of src/ (src/cli is the only part of src that starts processes, and it
// is reached through bin/yimatong.js, which the rule catches):
//  - files under test/web/ (the built web faces: a browser, or the dist/web build that `npm test` makes first);
//  - a runtime import (not `import type`) of test/helpers/context.ts (the real hub, on SQLite and PostgreSQL) or of
//    test/web/browser.ts;
//  - an import of node:child_process, playwright or playwright-core, or of esbuild or vite (their build service
//    is a child process);
//  - a mention of bin/yimatong (runs the CLI as a child process).
const TEST_ROOT = resolve('test');
const NOT_UNIT_FILES = new Set([resolve('test/helpers/context.ts'), resolve('test/web/browser.ts')]);
const NOT_UNIT_PACKAGES =
  /^(?:node:)?child_process$|^playwright(?:-core)?(?:\/|$)|^esbuild(?:\/|$)|^vite(?:\/|$)/;

/** The specifiers a file imports at run time: static imports other than `import type`, and dynamic imports. */
function runtimeImports(source) {
  const staticImports = source.matchAll(
    /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm,
  );
  const dynamicImports = source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g);
  return [...staticImports, ...dynamicImports].map((m) => m[1]);
}

/** Why `file` is not a unit test, or undefined if it is one. */
function notUnitBecause(file, seen = new Set()) {
  const path = resolve(file);
  if (seen.has(path)) return undefined;
  seen.add(path);
  if (path.startsWith(join(TEST_ROOT, 'web') + sep)) return 'a web face test (browser or web build)';
  const source = readFileSync(path, 'utf8');
  if (/\bbin\/yimatong\b/.test(source)) return 'runs the yimatong CLI';
  for (const spec of runtimeImports(source)) {
    if (NOT_UNIT_PACKAGES.test(spec)) return `imports ${spec}`;
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(path), spec);
    if (NOT_UNIT_FILES.has(target)) return `imports ${spec}`;
    if (target.startsWith(TEST_ROOT + sep)) {
      const why = notUnitBecause(target, seen);
      if (why !== undefined) return `${spec} ${why}`;
    }
  }
  return undefined;
}

/** The URL without its password, for messages. */
function redacted(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** Connects to PostgreSQL: the connected client, or the reason it could not. */
async function probePostgres() {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query({ text: 'SELECT 1', query_timeout: PROBE_TIMEOUT_MS });
    return { client };
  } catch (e) {
    await client.end().catch(() => undefined);
    return { error: e instanceof Error ? e.message || e.constructor.name : String(e) };
  }
}

/** Any number; the advisory lock id that test runs on one database share. */
const RUN_LOCK = 7_959_412_001;

/**
 * Test files each work in a PostgreSQL schema of their own (t_ + 12 hex digits) and leave it behind, since
 * dropping a schema while another file's migrator introspects the database breaks that introspection. Before its
 * tests start, a run drops those of earlier runs, unless another run (say a colleague's, on the same database) is
 * under way: every run holds a shared advisory lock until it ends, and only a run that gets the lock exclusively
 * cleans up. The shared lock is taken before the exclusive one is let go, so a run never goes unprotected.
 */
async function cleanUpSchemas(client) {
  const { rows: got } = await client.query('SELECT pg_try_advisory_lock($1) AS alone', [RUN_LOCK]);
  if (got[0].alone) {
    const { rows } = await client.query(
      "SELECT nspname FROM pg_namespace WHERE nspname ~ '^t_[0-9a-f]{12}$'",
    );
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
  }
  await client.query('SELECT pg_advisory_lock_shared($1)', [RUN_LOCK]);
  if (got[0].alone) await client.query('SELECT pg_advisory_unlock($1)', [RUN_LOCK]);
}

function banner(lines) {
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const rule = '!'.repeat(width);
  console.error(['', rule, ...lines.map((l) => `!! ${l}`), rule, ''].join('\n'));
}

const args = process.argv.slice(2);
const unit = args.includes('--unit');
const list = args.includes('--list');
const filters = args.filter((a) => a !== '--unit' && a !== '--list');
let files = find('test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (unit) files = files.filter((f) => notUnitBecause(f) === undefined);
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
if (list) {
  for (const f of files) {
    const why = notUnitBecause(f);
    console.log(why === undefined ? `unit   ${f}` : `other  ${f}  (${why})`);
  }
  process.exit(0);
}

const env = { ...process.env };
let skippedPostgres;
/** Open while the tests run: holds the shared advisory lock that tells other runs not to drop our schemas. */
let runLock;
if (!unit) {
  const probe = await probePostgres();
  if (probe.client) {
    runLock = probe.client;
    await cleanUpSchemas(runLock);
  } else if (process.env.CI === 'true') {
    console.error(
      [
        `PostgreSQL not reachable at ${redacted(PG_URL)} (${probe.error}).`,
        'CI=true: the data-layer tests must run on PostgreSQL as well as SQLite, so the run stops here.',
        'Start PostgreSQL (on Debian: apt-get install postgresql, then pg_ctlcluster <version> main start;',
        '.ci/run does both), with a database `test` that user postgres reaches over TCP without a password,',
        'or point TEST_DATABASE_URL at one.',
      ].join('\n'),
    );
    process.exit(1);
  } else {
    skippedPostgres = [
      `PostgreSQL not reachable at ${redacted(PG_URL)} (${probe.error}):`,
      'the PostgreSQL half of the data-layer tests was SKIPPED; only SQLite was tested.',
      'Start PostgreSQL (or set TEST_DATABASE_URL) to run everything; with CI=true this run fails instead.',
    ];
    env.YMT_TEST_ENGINES = 'sqlite';
    banner(skippedPostgres);
  }
}

// A test file that hangs is cancelled after TEST_TIMEOUT_MS (the run then fails) instead of holding the run, and
// CI, for ever; the longest file (the federation's end-to-end tests) takes about 6 minutes on a busy 2-core machine.
const TEST_TIMEOUT_MS = 20 * 60_000;
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    `--test-timeout=${String(TEST_TIMEOUT_MS)}`,
    '--test-reporter=spec',
    ...files,
  ],
  { stdio: 'inherit', env },
);
await runLock?.end().catch(() => undefined);
if (skippedPostgres) banner(skippedPostgres);
process.exit(result.status ?? 1);
