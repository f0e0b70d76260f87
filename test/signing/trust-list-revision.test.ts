/**
 * The federation's revision is kept for a bounded time instead of read per online verification (issue 15): a
 * bump made through the same repository is seen at once, one made by another hub instance on the same database
 * within REVISION_MAX_LAG_MS. The repository's clock is a stub.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  REVISION_MAX_LAG_MS,
  TrustListRevisionRepository,
} from '../../src/signing/trust-list-revision.repository.ts';
import { ENGINES, startContext, type TestHub } from '../helpers/context.ts';

for (const engine of ENGINES) {
  describe(`the federation's revision, kept for ${String(REVISION_MAX_LAG_MS)} ms (${engine})`, () => {
    let hub: TestHub;
    before(async () => {
      hub = await startContext(engine);
    });
    after(() => hub.close());

    test('read once per lag; its own bumps seen at once; another instance’s within the lag', async () => {
      const db = hub.parts.db;
      let now = 0;
      const mine = new TrustListRevisionRepository(REVISION_MAX_LAG_MS, () => now);
      const other = new TrustListRevisionRepository(REVISION_MAX_LAG_MS, () => now);
      const start = await mine.get(db);

      await other.bump(db);
      now += REVISION_MAX_LAG_MS - 1;
      assert.equal(await mine.get(db), start, 'kept: the other instance’s bump is not read yet');
      now += 1;
      assert.equal(await mine.get(db), start + 1, 'read again once the lag has passed');

      await mine.bump(db);
      assert.equal(await mine.get(db), start + 2, 'its own bump is seen at once');
      // Its transaction may commit after a read: nothing read within the lag after its own bump is kept.
      await other.bump(db);
      now += REVISION_MAX_LAG_MS - 1;
      assert.equal(await mine.get(db), start + 3, 'not kept within the lag after its own bump');
      now += 1;
      assert.equal(await mine.get(db), start + 3);
      await other.bump(db);
      assert.equal(await mine.get(db), start + 3, 'kept again once that lag has passed');
      assert.equal(await other.get(db), start + 4);
    });
  });
}
