/**
 * The hub's databases, as compose.ts uses them: the primary (PostgreSQL or the embedded SQLite file), migrated, and
 * for reads that tolerate a bounded lag, a streaming replica when DATABASE_READ_URL names one (the primary otherwise).
 */
import type { Config } from '../config/config.ts';
import { migrateToLatest, openDatabase, type OpenDatabase, type Db } from '../db/database.ts';
import { openReadReplica, type ReadReplica } from '../db/read-replica.ts';

export interface Databases extends OpenDatabase {
  /** The pool losing its server is counted and shown (/readyz, /metrics), never fatal: requests meanwhile get 503. */
  readonly poolErrors: { count: number; lastAt: number | null };
  /** For reads that tolerate READ_MAX_LAG_MS of lag: the replica while it keeps up, else the primary. */
  readonly reads: Db;
  readonly replica: ReadReplica | undefined;
}

export async function openDatabases(config: Config, pgSchema: string | undefined): Promise<Databases> {
  const poolErrors = { count: 0, lastAt: null as number | null };
  const opened = await openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.sqliteFile,
    onPoolError: () => {
      poolErrors.count++;
      poolErrors.lastAt = Date.now();
    },
    ...(pgSchema ? { pgSchema } : {}),
  });
  await migrateToLatest(opened.db, opened.schema);
  const replica =
    config.databaseReadUrl !== undefined && opened.raw.engine === 'postgres'
      ? await openReadReplica({
          url: config.databaseReadUrl,
          primary: opened.raw.pool,
          poolSize: opened.raw.poolSize,
          maxLagMs: config.readMaxLagMs,
          ...(pgSchema ? { schema: pgSchema } : {}),
        })
      : undefined;
  return { ...opened, poolErrors, reads: replica?.db ?? opened.db, replica };
}
