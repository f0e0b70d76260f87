/**
 * Reads that tolerate a bounded lag, served by a PostgreSQL streaming replica (DATABASE_READ_URL) while it is known
 * to be at most READ_MAX_LAG_MS behind the primary, and by the primary otherwise (docs/operations.md#read-replica).
 *
 * `db` below is a Kysely like any other; its driver picks, for each connection it hands out, the replica or the
 * primary. A probe samples the primary's WAL position and the replica's replayed one a few times per lag bound
 * (replica-lag.ts turns them into a bound in time). When the replica cannot be reached, or a read on it fails
 * because it went away, the read runs on the primary instead and the replica is used again once a probe has
 * measured it within the bound: the caller never sees the replica fail. The lag is measured on the process's
 * monotonic clock (not the hub's clock, which tests set): it is about the servers, not about the holders' time.
 * Only reads go through `db`: the replica refuses writes (read-only transactions), so a write sent there by mistake
 * fails loudly instead of being lost.
 */
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type pg from 'pg';
import { performance } from 'node:perf_hooks';
import { databaseFailure, newPgPool, type Db } from './database.ts';
import type { Database } from './schema.ts';
import { parseLsn, ReplicaLag } from './replica-lag.ts';

export interface ReadReplicaOptions {
  readonly url: string;
  /** The primary's pool (the probe asks it where its WAL is; reads fall back to it). */
  readonly primary: pg.Pool;
  readonly maxLagMs: number;
  /** PostgreSQL schema (tests use their own). */
  readonly schema?: string;
  readonly poolSize: number;
}

/** Where reads went, and the replica's lag as last measured (`/metrics`). */
export interface ReadReplicaState {
  readonly lagBoundMs: number;
  readonly reads: { readonly replica: number; readonly primary: number };
}

export interface ReadReplica {
  /** For reads that tolerate READ_MAX_LAG_MS of lag, and never for writes. */
  readonly db: Db;
  state(): ReadReplicaState;
  close(): Promise<void>;
}

/** A probe waits this long for either server before it counts the replica as lost. */
const PROBE_TIMEOUT_MS = 1000;

export async function openReadReplica(options: ReadReplicaOptions): Promise<ReadReplica> {
  const replicaPool = await newPgPool({
    url: options.url,
    size: options.poolSize,
    // Unreachable, it costs a read a second at most before the read goes to the primary.
    connectTimeoutMs: PROBE_TIMEOUT_MS,
    ...(options.schema ? { schema: options.schema } : {}),
    // A replica going away under idle connections is expected; the probe notices it.
    onIdleError: () => undefined,
  });
  const lag = new ReplicaLag();
  const counts = { replica: 0, primary: 0 };
  const fresh = () => lag.boundMs(performance.now()) <= options.maxLagMs;

  let probing: Promise<void> | undefined;
  const measure = async () => {
    try {
      const at = performance.now();
      const primary = await within(
        options.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'),
      );
      const first = primary.rows[0];
      if (!first) throw new Error('no WAL position');
      lag.primaryAt(at, parseLsn(first.lsn));
      const replica = await within(
        replicaPool.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn'),
      );
      const replayed = replica.rows[0]?.lsn;
      lag.replayed(typeof replayed === 'string' ? parseLsn(replayed) : null);
    } catch {
      lag.lost();
    }
  };
  // One probe at a time: a slow server must not pile them up.
  const probe = () => (probing ??= measure().finally(() => (probing = undefined)));
  const timer = setInterval(() => void probe(), Math.max(50, Math.floor(options.maxLagMs / 4)));
  timer.unref();
  await probe();

  const routing = new RoutingDriver(
    new PostgresDialect({ pool: options.primary }).createDriver(),
    new PostgresDialect({ pool: replicaPool }).createDriver(),
    {
      useReplica: fresh,
      counted: (to) => counts[to]++,
      failed: () => {
        lag.lost();
      },
    },
  );
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => routing,
      createIntrospector: (k: Kysely<unknown>) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    } satisfies Dialect,
  });
  return {
    db,
    state: () => ({
      lagBoundMs: lag.boundMs(performance.now()),
      reads: { replica: counts.replica, primary: counts.primary },
    }),
    close: async () => {
      clearInterval(timer);
      await db.destroy();
    },
  };
}

function within<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error('probe timed out'));
      }, PROBE_TIMEOUT_MS);
    }),
  ]).finally(() => {
    clearTimeout(timer);
  });
}

interface Routing {
  useReplica(): boolean;
  counted(to: 'replica' | 'primary'): void;
  /** The replica failed under a read (unreachable, or gone mid-read). */
  failed(): void;
}

/** A connection of either server, knowing which. */
class RoutedConnection implements DatabaseConnection {
  /** Inside a transaction a read is never moved to the other server. */
  transaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    readonly driver: Driver,
    private readonly fallback: ((query: CompiledQuery) => Promise<QueryResult<unknown>>) | undefined,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (e) {
      // The replica went away under the read: the primary answers it (a read, so running it again is safe).
      if (this.fallback && !this.transaction && databaseFailure(e) === 'unavailable')
        return (await this.fallback(query)) as QueryResult<R>;
      throw e;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

function routed(c: DatabaseConnection): RoutedConnection {
  if (!(c instanceof RoutedConnection)) throw new TypeError('not a connection of this driver');
  return c;
}

class RoutingDriver implements Driver {
  constructor(
    private readonly primary: Driver,
    private readonly replica: Driver,
    private readonly routing: Routing,
  ) {}

  async init(): Promise<void> {
    await Promise.all([this.primary.init(), this.replica.init()]);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.routing.useReplica()) {
      try {
        const c = await this.replica.acquireConnection();
        this.routing.counted('replica');
        return new RoutedConnection(c, this.replica, (query) => {
          this.routing.failed();
          return this.onPrimary(query);
        });
      } catch (e) {
        if (databaseFailure(e) !== 'unavailable') throw e;
        this.routing.failed();
      }
    }
    this.routing.counted('primary');
    return new RoutedConnection(await this.primary.acquireConnection(), this.primary, undefined);
  }

  private async onPrimary(query: CompiledQuery): Promise<QueryResult<unknown>> {
    const c = await this.primary.acquireConnection();
    try {
      return await c.executeQuery(query);
    } finally {
      await this.primary.releaseConnection(c);
    }
  }

  beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const r = routed(c);
    r.transaction = true;
    return r.driver.beginTransaction(r.inner, settings);
  }

  commitTransaction(c: DatabaseConnection): Promise<void> {
    const r = routed(c);
    return r.driver.commitTransaction(r.inner);
  }

  rollbackTransaction(c: DatabaseConnection): Promise<void> {
    const r = routed(c);
    return r.driver.rollbackTransaction(r.inner);
  }

  releaseConnection(c: DatabaseConnection): Promise<void> {
    const r = routed(c);
    r.transaction = false;
    return r.driver.releaseConnection(r.inner);
  }

  /** Ends the replica's pool; the primary's belongs to the hub's main database handle. */
  async destroy(): Promise<void> {
    await this.replica.destroy();
  }
}
