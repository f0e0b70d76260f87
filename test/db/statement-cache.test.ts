/**
 * Prepared statements kept on SQLite (src/db/statement-cache.ts): the same SQL reuses its statement, a statement
 * still being iterated is never shared, and the least recently used is dropped past the bound.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { cachingStatements } from '../../src/db/statement-cache.ts';

describe('cachingStatements', () => {
  test('the same SQL gets its statement again; a busy one is not shared; the oldest goes past the bound', () => {
    const sqlite = new SQLite(':memory:');
    sqlite.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)');
    const db = cachingStatements(sqlite, 2);
    const all = 'SELECT n FROM t ORDER BY n';
    const first = db.prepare(all);
    assert.equal(db.prepare(all), first, 'reused');
    assert.deepEqual(first.all([]), [{ n: 1 }, { n: 2 }, { n: 3 }]);

    const iterating = first.iterate([]);
    iterating.next();
    const during = db.prepare(all);
    assert.notEqual(during, first, 'a statement being iterated is not handed out');
    assert.deepEqual(during.all([]), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    iterating.return?.();
    assert.equal(db.prepare(all), first, 'free again once the iteration ended');

    db.prepare('SELECT 1');
    db.prepare('SELECT 2'); // the third shape: the least recently used (`all`) is dropped
    assert.notEqual(db.prepare(all), first);
    db.close();
    assert.equal(sqlite.open, false);
  });
});
