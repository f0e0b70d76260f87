/**
 * Queries compiled once and run with new values (src/db/compiled-once.ts), on both engines: the same rows as the
 * query built each time, a value used in two places, constants kept, and a build that misuses its values refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { compiledOnce } from '../../src/db/compiled-once.ts';
import type { Db } from '../../src/db/database.ts';
import { ENGINES, startContext, type TestHub } from '../helpers/context.ts';
import { ALICE, BOB, register } from '../helpers/people.ts';

for (const engine of ENGINES) {
  describe(`compiled once (${engine})`, () => {
    let hub: TestHub;
    before(async () => {
      hub = await startContext(engine);
    });
    after(() => hub.close());

    const byId = (db: Db, personId: string) =>
      db.selectFrom('persons').select(['person_id', 'name_hash']).where('person_id', '=', personId);

    test('each run answers for its own values, as the query built each time does', async () => {
      const { db } = hub.parts;
      const alice = await register(hub.parts, ALICE);
      const bob = await register(hub.parts, BOB);
      const read = compiledOnce(byId, 1);
      for (const id of [alice, bob, 'nobody', alice])
        assert.deepEqual(await read(db, id), await byId(db, id).execute());
    });

    test('a value in two places takes the run’s value in both; a constant stays', async () => {
      const { db } = hub.parts;
      const alice = await register(hub.parts, ALICE);
      const bob = await register(hub.parts, BOB);
      const both = compiledOnce(
        (d: Db, a: string, b: string) =>
          d
            .selectFrom('persons')
            .select('person_id')
            .where((eb) => eb.or([eb('person_id', '=', a), eb('person_id', '=', b), eb('person_id', '=', a)]))
            .orderBy('person_id')
            .limit(1),
        2,
      );
      assert.deepEqual(await both(db, alice, alice), [{ person_id: alice }]);
      assert.deepEqual(await both(db, 'nobody', bob), [{ person_id: bob }]);
      assert.equal((await both(db, alice, bob)).length, 1);
    });

    test('a build that ignores a value or lets one shape the SQL is refused', async () => {
      const { db } = hub.parts;
      // A value that decides the query's shape in JavaScript instead of being passed as a value: refused.
      const ignores = compiledOnce(
        (d: Db, id: string, withPhone: string) =>
          d
            .selectFrom('persons')
            .select('person_id')
            .where('person_id', '=', id)
            .$if(withPhone === 'yes', (q) => q.where('phone_hash', 'is not', null)),
        2,
      );
      await assert.rejects(ignores(db, 'x', 'yes'), /value 1 is not a parameter/);
      const shapes = compiledOnce(
        (d: Db, id: string) =>
          d
            .selectFrom('persons')
            .select(sql<string>`${sql.lit(id)}`.as('x'))
            .where('person_id', '=', id),
        1,
      );
      await assert.rejects(shapes(db, 'x'), /shaped the SQL/);
    });
  });
}
