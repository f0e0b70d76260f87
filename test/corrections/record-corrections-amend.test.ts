/**
 * Amending a feed record (issue 13), and what a corrected record no longer does: the replacement goes through the
 * ingestion as a one-record batch, a bad replacement changes nothing, an amendment interrupted between its two steps
 * is finished by running it again, and a retracted record creates no exposure later — on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { RecordCorrectionsRepository } from '../../src/corrections/record-corrections.repository.ts';
import { RecordCorrectionsService } from '../../src/corrections/record-corrections.service.ts';
import { DEFAULT_EXPOSURE } from '../../src/exposure/exposure.domain.ts';
import { ExposuresRepository } from '../../src/exposure/exposures.repository.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { manifestRows } from '../helpers/feeds.ts';
import {
  BY,
  applyForCode,
  confirmed,
  exposedDocs,
  holder,
  rejectsWith,
  send,
  statusOf,
  train,
  verify,
} from './record-corrections.fixture.ts';

for (const engine of ENGINES) {
  describe(`amending a feed record, and a corrected record later (${engine})`, () => {
    let hub: TestApp;
    before(async () => {
      hub = await startApp(engine);
    });
    after(() => hub.close());

    test('a manifest row amended to a carriage far away: not exposed; the replacement points at the original', async () => {
      const [kase, traveller] = [await holder(hub, 101), await holder(hub, 102)];
      await hub.parts.services.ingest.ingest(
        Readable.from([
          [train(kase, 'G701', 7), train(traveller, 'G701', 7, '12C')]
            .map((r) => JSON.stringify(r))
            .join('\n'),
        ]),
        {
          source: 'railway',
          format: 'ndjson',
          batchId: 'rail-a1',
          province: '440000',
          now: hub.clock.now(),
          by: { actorKind: 'system', actorRef: 'test' },
        },
      );
      await send(hub, 'health', 'health-a1', [confirmed(kase)]);
      const yellow = await applyForCode(hub, traveller);
      assert.equal(yellow.colour, 'yellow');

      const ref = { source: 'railway' as const, batchId: 'rail-a1', record: 2 };
      const outcome = await hub.parts.services.recordCorrections.amend(
        ref,
        train(traveller, 'G701', 15, '12C'),
        BY,
        hub.clock.now(),
      );
      assert.equal(outcome.correction.action, 'amend');
      assert.equal(outcome.withdrawn.exposures, 1);
      const replacement = outcome.correction.replacement;
      assert.ok(replacement);
      assert.match(replacement.batchId, /^correction\.rc_[0-9a-f]+$/);
      assert.equal(outcome.replacement?.accepted, 1);
      assert.equal(outcome.replacement.province, '440000', "the original batch's province");

      assert.deepEqual(await statusOf(hub, traveller), { colour: 'green', reasons: ['NO_ABNORMALITY'] });
      assert.deepEqual(await exposedDocs(hub, [traveller]), []);
      assert.equal((await verify(hub, yellow.code)).error?.code, 'YMT_ERR_CODE_WITHDRAWN');
      const rows = await manifestRows(hub, 'railway', replacement.batchId);
      assert.deepEqual(
        rows.map((r) => [r.trip_key, r.position, r.seat, r.line, r.province]),
        [['T:G701:2026-11-25', 15, '12C', 1, '440000']],
      );
      // Both ways: the original lists its correction, the replacement names the correction it was sent for.
      assert.deepEqual(await hub.parts.services.recordCorrections.corrections(ref), [outcome.correction]);
      assert.deepEqual(
        await hub.parts.services.recordCorrections.replacing('railway', replacement.batchId),
        outcome.correction,
      );
      assert.deepEqual(await hub.parts.services.recordCorrections.ofTicket(BY.ticketId), [
        outcome.correction,
      ]);
    });

    test('an amendment that fails the source’s checks changes nothing', async () => {
      const [kase, traveller] = [await holder(hub, 111), await holder(hub, 112)];
      await send(hub, 'railway', 'rail-a2', [train(kase, 'G702', 3), train(traveller, 'G702', 3, '01F')]);
      await send(hub, 'health', 'health-a2', [confirmed(kase)]);
      const ref = { source: 'railway' as const, batchId: 'rail-a2', record: 2 };
      const code = await applyForCode(hub, traveller);
      for (const [replacement, field] of [
        [train(traveller, 'G702', 99), 'carriage'],
        [{ ...train(traveller, 'G702', 9), flightNo: 'MU1' }, 'flightNo'],
        [{ ...train(traveller, 'G702', 9), date: undefined }, 'date'],
      ] as const) {
        const e = await rejectsWith(
          hub.parts.services.recordCorrections.amend(ref, replacement, BY, hub.clock.now()),
          'YMT_ERR_AMENDMENT_INVALID',
        );
        assert.equal(e.details?.[0]?.field, field);
      }
      assert.deepEqual(await hub.parts.services.recordCorrections.corrections(ref), []);
      assert.deepEqual(await exposedDocs(hub, [traveller]), [traveller.name]);
      assert.equal((await statusOf(hub, traveller)).colour, 'yellow');
      assert.equal((await verify(hub, code.code)).valid, true);
    });

    test('an amendment interrupted after its retraction is finished by running it again', async () => {
      const [kase, traveller] = [await holder(hub, 121), await holder(hub, 122)];
      await send(hub, 'railway', 'rail-a3', [train(kase, 'G703', 2), train(traveller, 'G703', 2, '04D')]);
      await send(hub, 'health', 'health-a3', [confirmed(kase)]);
      const ref = { source: 'railway' as const, batchId: 'rail-a3', record: 2 };
      const replacement = train(traveller, 'G703', 11, '04D');
      // The same service, but the process dies as the replacement batch is sent.
      const crashing = new RecordCorrectionsService(
        hub.parts.db,
        new RecordCorrectionsRepository(),
        new ExposuresRepository(DEFAULT_EXPOSURE),
        hub.parts.repositories.snapshots,
        { ingest: () => Promise.reject(new Error('killed')) },
        hub.parts.cipher,
        hub.parts.config.clockSkewSeconds,
      );
      await assert.rejects(crashing.amend(ref, replacement, BY, hub.clock.now()), /killed/);
      const [recorded] = await hub.parts.services.recordCorrections.corrections(ref);
      assert.ok(recorded?.replacement);
      assert.equal(
        await hub.parts.services.feedBatches.report('railway', recorded.replacement.batchId),
        undefined,
      );
      assert.deepEqual(await manifestRows(hub, 'railway', recorded.replacement.batchId), []);

      // Another replacement is not what was decided.
      await rejectsWith(
        hub.parts.services.recordCorrections.amend(ref, train(traveller, 'G703', 12), BY, hub.clock.now()),
        'YMT_ERR_RECORD_ALREADY_CORRECTED',
      );
      const again = await hub.parts.services.recordCorrections.amend(ref, replacement, BY, hub.clock.now());
      assert.equal(again.resumed, true);
      assert.equal(again.correction.id, recorded.id);
      assert.equal(again.replacement?.accepted, 1);
      assert.deepEqual(
        (await manifestRows(hub, 'railway', recorded.replacement.batchId)).map((r) => r.position),
        [11],
      );
      assert.equal((await statusOf(hub, traveller)).colour, 'green');
      // Done: once more is a second correction of the same record.
      await rejectsWith(
        hub.parts.services.recordCorrections.amend(ref, replacement, BY, hub.clock.now()),
        'YMT_ERR_RECORD_ALREADY_CORRECTED',
      );
    });

    test('a retracted manifest row creates no exposure later, whoever becomes a case', async () => {
      const [a, b, c, d] = [
        await holder(hub, 131),
        await holder(hub, 132),
        await holder(hub, 133),
        await holder(hub, 134),
      ];
      await send(hub, 'railway', 'rail-a4', [
        train(a, 'G704', 6),
        train(b, 'G704', 6, '02A'),
        train(c, 'G705', 9),
        train(d, 'G705', 9, '03B'),
      ]);
      const retract = (record: number) =>
        hub.parts.services.recordCorrections.retract(
          { source: 'railway', batchId: 'rail-a4', record },
          BY,
          hub.clock.now(),
        );
      // b was not on G704; c was not on G705.
      await retract(2);
      await retract(3);
      await send(hub, 'health', 'health-a4', [confirmed(a), confirmed(c)]);
      assert.deepEqual(await exposedDocs(hub, [b, d]), []);
      assert.equal((await statusOf(hub, b)).colour, 'green');
      assert.equal((await statusOf(hub, d)).colour, 'green');
      // And a manifest arriving after the case: its travellers are flagged, the retracted row still not.
      const e = await holder(hub, 135);
      await send(hub, 'railway', 'rail-a5', [train(e, 'G704', 6, '09A')]);
      assert.deepEqual(await exposedDocs(hub, [b, d, e]), [e.name]);
    });

    test("a retracted case record creates no exposure later: the former case's manifest arriving after", async () => {
      const [f, g] = [await holder(hub, 141), await holder(hub, 142)];
      await send(hub, 'health', 'health-a6', [confirmed(f)]);
      await hub.parts.services.recordCorrections.retract(
        { source: 'health', batchId: 'health-a6', record: 1 },
        {
          ticketId: null,
          actor: 'department:health',
          reason: '报告填错了证件号',
          who: { actorKind: 'department', actorRef: 'health' },
        },
        hub.clock.now(),
      );
      await send(hub, 'railway', 'rail-a6', [train(f, 'G706', 4), train(g, 'G706', 4, '06A')]);
      assert.deepEqual(await exposedDocs(hub, [f, g]), []);
      assert.equal((await statusOf(hub, f)).colour, 'green');
      assert.equal((await statusOf(hub, g)).colour, 'green');
    });
  });
}
