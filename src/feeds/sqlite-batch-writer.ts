/**
 * The SQLite batch writer: rows go to a spool file of their own (no journal, no indexes), so a long upload
 * holds no lock on the hub's database. Publishing attaches the spool and copies each table with one
 * INSERT … SELECT inside one transaction, holding the hub's single connection only for that copy.
 *
 * Spool files are named after the writing process; files left by a process that no longer runs are removed
 * when the next writer opens.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { auditSql, chainedAfter, insertValues } from '../audit/audit-log.repository.ts';
import type { Db } from '../db/database.ts';
import {
  BATCH_COLUMNS,
  batchAuditFacts,
  BufferedBatchWriter,
  feedBatchRow,
  insertColumns,
  type BatchRecord,
  type BatchTable,
  type BatchWriter,
  type BatchWriterFactory,
} from './batch-writer.ts';

const TABLES = Object.keys(BATCH_COLUMNS) as BatchTable[];
const AUDIT = auditSql('sqlite');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the spool files of processes that are gone (a crash mid-batch). */
function removeAbandoned(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = /^spool-(\d+)-/.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid))) {
      rmSync(join(dir, name), { force: true });
    }
  }
}

export class SqliteBatchWriterFactory implements BatchWriterFactory {
  private readonly dir: string;
  private cleaned = false;

  constructor(
    private readonly db: Db,
    private readonly main: SQLite.Database,
    databaseFile: string,
  ) {
    this.dir = `${databaseFile}.spool`;
  }

  open(): Promise<BatchWriter> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (!this.cleaned) {
      removeAbandoned(this.dir);
      this.cleaned = true;
    }
    const file = join(this.dir, `spool-${process.pid}-${randomBytes(8).toString('hex')}.db`);
    return Promise.resolve(new SqliteBatchWriter(this.db, this.main, file));
  }
}

class SqliteBatchWriter extends BufferedBatchWriter {
  private spool: SQLite.Database | undefined;
  private readonly inserts = new Map<BatchTable, SQLite.Statement>();
  private readonly written = new Set<BatchTable>();

  constructor(
    private readonly db: Db,
    private readonly main: SQLite.Database,
    private readonly file: string,
  ) {
    super();
  }

  private open(): SQLite.Database {
    if (this.spool) return this.spool;
    const spool = new SQLite(this.file);
    // The spool is thrown away on any failure: it needs no journal and no syncing.
    spool.pragma('journal_mode = OFF');
    spool.pragma('synchronous = OFF');
    for (const t of TABLES) {
      spool.exec(`CREATE TABLE ${t} (${insertColumns(t)})`);
      this.inserts.set(
        t,
        spool.prepare(`INSERT INTO ${t} VALUES (${BATCH_COLUMNS[t].map(() => '?').join(', ')})`),
      );
    }
    this.spool = spool;
    return spool;
  }

  flush(): Promise<void> {
    if (this.buffered === 0) return Promise.resolve();
    const spool = this.open();
    const pending = this.take();
    spool.transaction(() => {
      for (const [table, rows] of pending) {
        const insert = this.inserts.get(table);
        if (!insert) throw new Error(`no spool table ${table}`);
        for (const row of rows) insert.run(row);
        if (rows.length > 0) this.written.add(table);
      }
    })();
    return Promise.resolve();
  }

  async publish(batch: BatchRecord): Promise<void> {
    await this.flush();
    this.spool?.close();
    this.spool = undefined;
    const written = [...this.written];
    // Kysely serialises use of the single connection: holding it here keeps every other query out.
    await this.db.connection().execute(async () => {
      const main = this.main;
      if (written.length > 0) main.prepare('ATTACH DATABASE ? AS spool').run(this.file);
      try {
        main
          .transaction(() => {
            let seqFrom: number | null = null;
            let seqTo: number | null = null;
            for (const t of written) {
              const cols = insertColumns(t);
              const r = main
                .prepare(`INSERT INTO main.${t} (${cols}) SELECT ${cols} FROM spool.${t} ORDER BY rowid`)
                .run();
              if (t === 'manifests' && r.changes > 0) {
                seqTo = Number(r.lastInsertRowid);
                seqFrom = seqTo - r.changes + 1;
              }
            }
            const row = feedBatchRow(batch, seqFrom, seqTo);
            main
              .prepare(
                `INSERT INTO feed_batches (${row.columns}) VALUES (${row.values.map(() => '?').join(', ')})`,
              )
              .run(row.values);
            // The write transaction (`immediate`) is the chain's lock on SQLite.
            const head = main.prepare(AUDIT.head).get() as { seq: number; hash: string };
            const entry = chainedAfter(head, batchAuditFacts(batch));
            main.prepare(AUDIT.insert).run(insertValues(entry));
            main.prepare(AUDIT.moveHead).run(entry.seq, entry.hash);
          })
          .immediate();
      } finally {
        if (written.length > 0) main.exec('DETACH DATABASE spool');
      }
      return Promise.resolve();
    });
    await this.discard();
  }

  discard(): Promise<void> {
    this.spool?.close();
    this.spool = undefined;
    this.take();
    rmSync(this.file, { force: true });
    return Promise.resolve();
  }
}
