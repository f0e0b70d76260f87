import { loadConfig } from '../config/config.ts';
import { migrateToLatest, openDatabase } from '../db/database.ts';

export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const { db, engine, schema } = await openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.sqliteFile,
  });
  try {
    const applied = await migrateToLatest(db, schema);
    process.stdout.write(
      `${engine}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}\n`,
    );
    return 0;
  } finally {
    await db.destroy();
  }
}
