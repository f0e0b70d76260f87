import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { seedDeps } from '../../src/app/compose.ts';
import { seedPopulation } from '../../src/seed/seed.loader.ts';
import { ENGINES, startContext, type TestHub } from '../helpers/context.ts';

for (const engine of ENGINES) {
  describe(`seeding through the real ingestion (${engine})`, () => {
    let hub: TestHub;
    before(async () => {
      hub = await startContext(engine);
    });
    after(() => hub.close());

    test('every generated record is accepted, and loading twice changes nothing', async () => {
      const options = { people: 300, days: 14, seed: 5, until: '2026-11-27' };
      const steps: string[] = [];
      const r = await seedPopulation(seedDeps(hub.parts), options, join(hub.dataDir, 'seed'), (step) =>
        steps.push(step),
      );
      assert.equal(r.identities, 300);
      for (const [source, counts] of Object.entries(r.feeds)) assert.equal(counts.rejected, 0, source);
      assert.ok((r.feeds.telecom?.accepted ?? 0) > 300 * 14);
      assert.deepEqual(steps, [
        'identities',
        'area-risk',
        'telecom',
        'railway',
        'aviation',
        'immigration',
        'health',
        'done',
      ]);
      const count = async () =>
        Number(
          (
            await hub.parts.db
              .selectFrom('telecom_stays')
              .select((eb) => eb.fn.countAll<number | string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      await seedPopulation(seedDeps(hub.parts), options, join(hub.dataDir, 'seed'));
      assert.equal(await count(), before);
    });
  });
}
