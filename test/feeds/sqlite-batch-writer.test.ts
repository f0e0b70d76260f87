import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { SqliteBatchWriterFactory } from '../../src/feeds/sqlite-batch-writer.ts';
import { startContext, type TestHub } from '../helpers/context.ts';

describe('the SQLite batch writer', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startContext('sqlite');
  });
  after(() => hub.close());
  const spoolDir = () => `${hub.parts.config.sqliteFile}.spool`;
  const factory = () => {
    const raw = new SQLite(hub.parts.config.sqliteFile);
    return { raw, writers: new SqliteBatchWriterFactory(hub.parts.db, raw, hub.parts.config.sqliteFile) };
  };

  test('the spool of a process that died is removed; a live process keeps its own', async () => {
    // A pid that surely ran and ended.
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    mkdirSync(spoolDir(), { recursive: true });
    writeFileSync(join(spoolDir(), `spool-${gone}-dead.db`), '');
    writeFileSync(join(spoolDir(), `spool-${process.pid}-mine.db`), '');
    const { raw, writers } = factory();
    const writer = await writers.open();
    assert.deepEqual(readdirSync(spoolDir()), [`spool-${process.pid}-mine.db`]);
    await writer.discard();
    raw.close();
  });

  test('rows are spooled aside, invisible until published, and the spool is gone after', async () => {
    const { raw, writers } = factory();
    const writer = await writers.open();
    writer.add('area_risk_levels', [null, 'w-1', 1, '420100', 'high', 1, 2, 'authority']);
    await writer.flush();
    assert.equal(readdirSync(spoolDir()).filter((f) => f.includes('-mine')).length, 1);
    const spool = readdirSync(spoolDir()).find((f) => !f.includes('-mine'));
    assert.ok(spool && existsSync(join(spoolDir(), spool)), 'a spool file while the batch is open');
    const visible = () =>
      hub.parts.db.selectFrom('area_risk_levels').select('line').where('batch_id', '=', 'w-1').execute();
    assert.deepEqual(await visible(), []);
    await writer.publish({
      source: 'area-risk',
      batchId: 'w-1',
      province: null,
      total: 1,
      accepted: 1,
      rejected: 0,
      receivedAt: 1,
      committedAt: 2,
      by: { actorKind: 'system', actorRef: 'test' },
    });
    assert.deepEqual(await visible(), [{ line: 1 }]);
    assert.equal(existsSync(join(spoolDir(), spool)), false);
    raw.close();
  });
});
