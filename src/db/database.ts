/**
 * Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, otherwise the embedded
 * SQLite file. One Kysely query layer serves both (ARCHITECTURE.md principle 6).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type Migration,
  type MigrationProvider,
  type SqliteDialectConfig,
} from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.ts';
import { preparingStatements } from './pg-prepared.ts';
import { cachingStatements } from './statement-cache.ts';
import * as m0001 from './migrations/2026-11-27-0001-national-code.ts';
import * as m0002 from './migrations/2026-11-27-0002-feeds.ts';
import * as m0003 from './migrations/2026-11-27-0003-departments.ts';
import * as m0004 from './migrations/2026-11-27-0004-exposures.ts';
import * as m0005 from './migrations/2026-11-27-0005-status-snapshots.ts';
import * as m0006 from './migrations/2026-11-27-0006-manifest-store.ts';
import * as m0007 from './migrations/2026-11-27-0007-federation.ts';
import * as m0008 from './migrations/2026-11-27-0008-console.ts';
import * as m0009 from './migrations/2026-11-30-0009-status-entries.ts';
import * as m0010 from './migrations/2026-11-30-0010-status-exchange.ts';
import * as m0011 from './migrations/2026-11-30-0011-record-corrections.ts';
import * as m0012 from './migrations/2026-11-30-0012-corrections.ts';
import * as m0013 from './migrations/2026-12-01-0013-family.ts';
import * as m0014 from './migrations/2026-12-01-0014-field-staff.ts';
import * as m0015 from './migrations/2026-12-01-0015-immigration-names.ts';
import * as m0016 from './migrations/2026-12-01-0016-audit-log.ts';
import * as m0017 from './migrations/2026-12-01-0017-retention.ts';

/**
 * The database, or a transaction on it (Kysely's Transaction is a Kysely). Repositories take one as their first
 * argument and never hold one; services decide what runs in one transaction (inTransaction below).
 */
export type Db = Kysely<Database>;
export type Engine = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  readonly databaseUrl: string | undefined;
  readonly sqliteFile: string;
  /** PostgreSQL only: the schema to use (created if missing). Tests use one per run. */
  readonly pgSchema?: string;
  /**
   * PostgreSQL only: told when the pool loses an idle connection (the server went away). Without a listener the
   * pool's `error` event would end the process; with it, the pool replaces the connection when the server is back.
   */
  readonly onPoolError?: (e: Error) => void;
}

/** The driver under Kysely, for the bulk paths that Kysely does not cover (spooled batches, COPY). */
export type RawDatabase =
  | { readonly engine: 'sqlite'; readonly sqlite: SQLite.Database; readonly file: string }
  | { readonly engine: 'postgres'; readonly pool: pg.Pool; readonly poolSize: number };

export interface OpenDatabase {
  readonly db: Db;
  readonly engine: Engine;
  readonly raw: RawDatabase;
  /** PostgreSQL: the schema in use (`public` unless a test asked for its own). */
  readonly schema?: string;
}

/** The migrations, in order. Listed statically so they are the same in every deployment. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-27-0001-national-code': m0001,
  '2026-11-27-0002-feeds': m0002,
  '2026-11-27-0003-departments': m0003,
  '2026-11-27-0004-exposures': m0004,
  '2026-11-27-0005-status-snapshots': m0005,
  '2026-11-27-0006-manifest-store': m0006,
  '2026-11-27-0007-federation': m0007,
  '2026-11-27-0008-console': m0008,
  '2026-11-30-0009-status-entries': m0009,
  '2026-11-30-0010-status-exchange': m0010,
  '2026-11-30-0011-record-corrections': m0011,
  '2026-11-30-0012-corrections': m0012,
  '2026-12-01-0013-family': m0013,
  '2026-12-01-0014-field-staff': m0014,
  '2026-12-01-0015-immigration-names': m0015,
  '2026-12-01-0016-audit-log': m0016,
  '2026-12-01-0017-retention': m0017,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

/** Connections per hub process to PostgreSQL. */
const PG_POOL_SIZE = 10;
/**
 * Longest a request waits for a connection (a new one, or a free one of the pool) before it is refused with 503:
 * with the server gone, requests fail fast instead of piling up.
 */
const PG_CONNECT_TIMEOUT_MS = 3000;

export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  if (options.databaseUrl) {
    const schema = options.pgSchema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new TypeError('bad schema name');
    const pool = await newPgPool({
      url: options.databaseUrl,
      size: PG_POOL_SIZE,
      connectTimeoutMs: PG_CONNECT_TIMEOUT_MS,
      ...(schema ? { schema } : {}),
      onIdleError: (e) => options.onPoolError?.(e),
    });
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      engine: 'postgres',
      raw: { engine: 'postgres', pool, poolSize: PG_POOL_SIZE },
      schema: schema ?? 'public',
    };
  }
  mkdirSync(dirname(options.sqliteFile), { recursive: true, mode: 0o700 });
  const sqlite = new SQLite(options.sqliteFile);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MB of page cache (the default is 2 MB): a published batch's index pages stay in memory until it commits.
  sqlite.pragma('cache_size = -65536');
  // Reads through a memory map (up to SQLite's 2 GB cap) instead of a system call per page: the exposure
  // engine reads co-travellers' rows from all over the manifest table.
  sqlite.pragma('mmap_size = 2147418112');
  return {
    db: new Kysely<Database>({
      dialect: new ImmediateSqliteDialect({ database: cachingStatements(sqlite) }),
    }),
    engine: 'sqlite',
    raw: { engine: 'sqlite', sqlite, file: options.sqliteFile },
  };
}

/**
 * A pool of connections to one PostgreSQL server, as the hub reads it: BIGINT (int8, OID 20) holds our millisecond
 * times and is read as a number (safe below 2^53); `schema` (tests use their own) is the search path.
 *
 * The pool itself listens for errors of its idle connections only (`onIdleError`: without a listener, the pool's
 * `error` event would end the process). A connection checked out between two statements (a transaction running
 * JavaScript, a batch being received) whose server ends it (restart, failover, `pg_terminate_backend`) would emit
 * an `error` event no one hears, and end the process: each connection gets a listener of its own when it is made,
 * so the error fails the connection's next statement (a 503 for the request) and the pool drops the connection
 * when it is given back. Each connection names the statements it runs (src/db/pg-prepared.ts). The primary's pool
 * and a read replica's are both made here.
 */
export async function newPgPool(options: {
  readonly url: string;
  readonly size: number;
  readonly connectTimeoutMs: number;
  readonly schema?: string;
  readonly onIdleError: (e: Error) => void;
}): Promise<pg.Pool> {
  // Loaded only for PostgreSQL (less memory for a hub on SQLite).
  const { default: pgModule } = await import('pg');
  const pgTypes = new pgModule.TypeOverrides();
  pgTypes.setTypeParser(pgModule.types.builtins.INT8, (v: string) => Number(v));
  const pool = new pgModule.Pool({
    connectionString: options.url,
    max: options.size,
    connectionTimeoutMillis: options.connectTimeoutMs,
    types: pgTypes,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  pool.on('error', options.onIdleError);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    preparingStatements(client);
  });
  return pool;
}

/**
 * SQLite transactions take the write lock when they begin (BEGIN IMMEDIATE). With several processes on one file
 * (`yimatong serve --workers N`), a transaction begun deferred that has read and then writes fails at once
 * (SQLITE_BUSY_SNAPSHOT) whenever another process wrote in between; begun immediate, it waits for the lock
 * (busy_timeout) instead. Within one process nothing changes: Kysely runs one statement or transaction at a time.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

/**
 * Brings the schema up to date. On PostgreSQL with a schema of its own, the migration bookkeeping lives in that
 * schema too (Kysely would otherwise find another schema's bookkeeping tables and skip creating its own).
 */
export async function migrateToLatest(db: Db, schema?: string): Promise<string[]> {
  return migrateUpTo(db, undefined, schema);
}

/** Brings the schema up to the named migration (all of them when undefined): upgrade tests start old. */
export async function migrateUpTo(db: Db, target: string | undefined, schema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await (target === undefined
      ? migrator.migrateToLatest()
      : migrator.migrateTo(target));
    // Before migrating, the migrator reads the whole database's catalog; on PostgreSQL, a migration running at the
    // same moment in another schema (nodes sharing a database, one schema each) can drop a table or column under
    // that read. Nothing has run then (no results): read again.
    if (error && results === undefined && raceInCatalog(error) && attempt < 5) {
      await new Promise((r) => setTimeout(r, 50 * attempt));
      continue;
    }
    if (error) throw error instanceof Error ? error : new Error('migration failed');
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }
}

/** undefined_table or undefined_column: what a catalog read sees when another session drops what it reads. */
function raceInCatalog(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '42P01' || code === '42703';
}

/**
 * Runs `work` in one transaction: all of it is written, or none. Inside an outer transaction it joins that one
 * (Kysely does not nest them). `work` must use only the executor it is given: on SQLite the transaction holds the
 * process's single connection, so a query through the outer `db` would wait for it for ever.
 */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** True when an error is a unique-constraint violation, on either engine. */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { code?: unknown };
  return (
    err.code === '23505' ||
    err.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** PostgreSQL SQLSTATEs that say the server is not there to answer (not that the query was wrong). */
const PG_UNAVAILABLE = /^(08|57P0[123]|53300|53400)/;
const NET_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const PG_GONE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated due to connection timeout|the database system is (starting up|shutting down)/i;

/**
 * Whether an error says the database cannot answer now — `busy` (SQLite's lock held past busy_timeout) or
 * `unavailable` (PostgreSQL gone or refusing connections; SQLite's file unreadable or the disk full) — rather than
 * that a query was wrong. Such a request is refused with 503 and Retry-After, and the process carries on.
 */
export function databaseFailure(e: unknown): 'busy' | 'unavailable' | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : '';
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') return 'busy';
  if (/^SQLITE_(IOERR|CANTOPEN|FULL|CORRUPT|NOTADB|READONLY)/.test(code)) return 'unavailable';
  if (NET_UNAVAILABLE.has(code) || PG_UNAVAILABLE.test(code)) return 'unavailable';
  if (typeof err.message === 'string' && PG_GONE.test(err.message)) return 'unavailable';
  return undefined;
}

/**
 * Asks the database the cheapest question, within `timeoutMs` (a second by default: readiness, /metrics and the
 * console ask it so): true when it answered.
 */
export async function probeDatabase(raw: RawDatabase, timeoutMs = 1000): Promise<boolean> {
  if (raw.engine === 'sqlite') {
    try {
      raw.sqlite.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      raw.pool.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
