/**
 * A foreign passport holder whose arrival the immigration feed recorded, naming them, signs in without being
 * imported into the registry first (issue 16, Q10; docs/identity-provider.md#foreign-passport-holders). Both
 * engines: the record's name decides; a PRC passport, an old record or a bad name in the feed does not open it.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { sendFeed } from '../helpers/feeds.ts';

/** Today on the test clock is 2026-11-27 (Beijing). */
const JANE = { documentType: 'passport', documentNumber: 'X98765432', nationality: 'USA', name: 'Jane Doe' };
const LI = { documentType: 'passport', documentNumber: 'E12345678', nationality: 'CHN', name: '李明' };
const OLD = {
  documentType: 'passport',
  documentNumber: 'P55555555',
  nationality: 'FRA',
  name: 'Paul Martin',
};
const arrival = (p: typeof JANE, date = '2026-11-25') => ({
  documentType: p.documentType,
  documentNumber: p.documentNumber,
  nationality: p.nationality,
  name: p.name,
  flightNo: 'UA889',
  date,
  port: 'PEK',
});

for (const engine of ENGINES) {
  describe(`foreign passport holders sign in from the immigration record (${engine})`, () => {
    let hub: TestApp;
    before(async () => {
      hub = await startApp(engine);
    });
    after(() => hub.close());
    const signIn = (p: typeof JANE, name = p.name) =>
      hub.app.inject({
        method: 'POST',
        url: '/api/v1/auth/real-name',
        payload: {
          documentType: p.documentType,
          documentNumber: p.documentNumber,
          nationality: p.nationality,
          name,
        },
      });

    test('before the feed: unknown; after: the recorded name signs in, another does not', async () => {
      assert.equal((await signIn(JANE)).statusCode, 401);
      await sendFeed(hub, 'immigration', 'nia-names-1', [
        arrival(JANE),
        arrival(LI),
        arrival(OLD, '2026-08-01'),
      ]);
      assert.equal((await signIn(JANE, 'JOHN DOE')).statusCode, 401);
      const res = await signIn(JANE, 'jane  doe');
      assert.equal(res.statusCode, 200, res.body);
      // Now in the registry: the next sign-in is an ordinary one, and the person is one.
      assert.equal((await signIn(JANE)).statusCode, 200);
      assert.equal(await hub.parts.repositories.persons.count(hub.parts.db), 1);
    });

    test('not for a PRC passport (the national registry knows its holders), nor a record of 90+ days ago', async () => {
      assert.equal((await signIn(LI)).statusCode, 401);
      assert.equal((await signIn(OLD)).statusCode, 401);
    });

    test('a name the feed sends that is not a name is quarantined with its reason; the rest of the batch goes in', async () => {
      const report = await hub.parts.services.ingest.ingest(
        Readable.from([
          [{ ...arrival(JANE), name: 'JANE<<DOE' }, arrival(JANE)].map((r) => JSON.stringify(r)).join('\n'),
        ]),
        {
          source: 'immigration',
          format: 'ndjson',
          batchId: 'nia-names-2',
          province: null,
          now: hub.clock.now(),
          by: { actorKind: 'system', actorRef: 'test' },
        },
      );
      assert.equal(report.accepted, 1);
      assert.deepEqual(
        report.rejected.map((r) => [r.line, r.field]),
        [[1, 'name']],
      );
    });
  });
}
