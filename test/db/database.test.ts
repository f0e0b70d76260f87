import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { inTransaction, isUniqueViolation, migrateToLatest, openDatabase } from '../../src/db/database.ts';
import { ENGINES, startContext, type TestHub } from '../helpers/context.ts';
import { ALICE, register } from '../helpers/people.ts';

for (const engine of ENGINES) {
  describe(`the data layer (${engine})`, () => {
    let hub: TestHub;
    before(async () => {
      hub = await startContext(engine);
    });
    after(() => hub.close());

    test('migrations are applied once', async () => {
      assert.equal(hub.parts.engine, engine);
      assert.deepEqual(await migrateToLatest(hub.parts.db, hub.schema), []);
    });

    test('times come back as JavaScript numbers, personal fields only as ciphertext', async () => {
      const personId = await register(hub.parts, ALICE);
      const row = await hub.parts.db
        .selectFrom('persons')
        .selectAll()
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow();
      assert.equal(typeof row.created_at, 'number');
      assert.ok(row.created_at > 1.7e12);
      assert.match(row.name_enc, /^k1\./);
      assert.ok(
        !Object.values(row).some((v) => v === ALICE.name || v === ALICE.documentNumber || v === ALICE.phone),
      );
      const back = await hub.parts.repositories.persons.get(hub.parts.db, personId);
      assert.deepEqual(
        [back?.name, back?.documentNumber, back?.phone],
        [ALICE.name, ALICE.documentNumber, ALICE.phone],
      );
    });

    test('a duplicate document is a unique violation on both engines', async () => {
      const row = await hub.parts.db.selectFrom('persons').selectAll().executeTakeFirstOrThrow();
      const err = await hub.parts.db
        .insertInto('persons')
        .values({ ...row, person_id: 'another' })
        .execute()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(isUniqueViolation(err), String(err));
      assert.equal(isUniqueViolation(new Error('other')), false);
    });

    test('two modifications on the same day cannot both be stored, even when they race', async () => {
      const personId = (
        await hub.parts.db.selectFrom('persons').select('person_id').executeTakeFirstOrThrow()
      ).person_id;
      const body = {
        phone: '13912345678',
        householdRegion: '440305',
        address: 'a',
        underlyingConditions: '',
        sex: 'male' as const,
        temperature: 36.5,
        symptoms: [],
        contactWithCases: false,
        recentCities: [],
        firstDeclaredAt: 0,
      };
      await hub.parts.repositories.declarations.insert(hub.parts.db, personId, {
        version: 1,
        modifiedOn: null,
        createdAt: 1,
        body,
      });
      const results = await Promise.allSettled([
        hub.parts.repositories.declarations.insert(hub.parts.db, personId, {
          version: 2,
          modifiedOn: '2026-11-27',
          createdAt: 2,
          body,
        }),
        hub.parts.repositories.declarations.insert(hub.parts.db, personId, {
          version: 3,
          modifiedOn: '2026-11-27',
          createdAt: 3,
          body,
        }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const rejected = results.find((r) => r.status === 'rejected');
      assert.ok(rejected && isUniqueViolation(rejected.reason));
      assert.equal(await hub.parts.repositories.declarations.countVersions(hub.parts.db, personId), 2);
    });
  });
}

test('SQLite: a transaction takes the write lock when it begins (another process writing waits, not fails later)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-immediate-'));
  const file = join(dir, 'y.db');
  const open = await openDatabase({ databaseUrl: undefined, sqliteFile: file });
  const other = new SQLite(file);
  other.pragma('busy_timeout = 0');
  try {
    await migrateToLatest(open.db);
    await inTransaction(open.db, async (trx) => {
      // Only a read so far; begun deferred, the file would not be locked yet and the other connection's write
      // would pass, leaving this transaction to fail (SQLITE_BUSY_SNAPSHOT) at its first write.
      await trx.selectFrom('persons').select('person_id').limit(1).execute();
      assert.throws(() => other.exec('CREATE TABLE elsewhere (x INTEGER)'), { code: 'SQLITE_BUSY' });
    });
    other.exec('CREATE TABLE elsewhere (x INTEGER)');
  } finally {
    other.close();
    await open.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
