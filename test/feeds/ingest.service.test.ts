import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { existsSync, readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FeedSource } from '../../src/feeds/feed-records.domain.ts';
import type { FeedFormat } from '../../src/feeds/feed-reader.ts';
import { FeedBatchesRepository } from '../../src/feeds/feed-batches.repository.ts';
import { JourneysRepository } from '../../src/feeds/journeys.repository.ts';
import { IngestService } from '../../src/feeds/ingest.service.ts';
import { ENGINES, startContext, type TestHub } from '../helpers/context.ts';
import { manifestRows as manifestRowsOf } from '../helpers/feeds.ts';
import { ALICE, BOB } from '../helpers/people.ts';

const ndjson = (records: unknown[]) =>
  records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

const GOOD: Record<FeedSource, Record<string, unknown>> = {
  health: {
    documentType: 'id_card',
    documentNumber: ALICE.documentNumber,
    status: 'confirmed',
    at: '2026-11-20T08:00:00+08:00',
  },
  immigration: {
    documentType: 'passport',
    documentNumber: '123456789',
    nationality: 'GBR',
    flightNo: 'CA934',
    date: '2026-11-20',
    port: 'PEK',
  },
  aviation: {
    documentType: 'id_card',
    documentNumber: ALICE.documentNumber,
    flightNo: 'MU5101',
    date: '2026-11-20',
    seat: '23C',
  },
  railway: {
    documentType: 'id_card',
    documentNumber: BOB.documentNumber,
    trainNo: 'G123',
    date: '2026-11-20',
    carriage: 5,
    seat: '12F',
  },
  telecom: {
    phone: '13912345678',
    cityCode: '440300',
    firstSeen: '2026-11-20T08:00:00+08:00',
    lastSeen: '2026-11-20T18:00:00+08:00',
  },
  'area-risk': {
    areaCode: '420100',
    level: 'high',
    from: '2026-11-20T00:00:00+08:00',
    to: '2026-11-27T00:00:00+08:00',
    authority: '武汉市卫健委',
  },
};

for (const engine of ENGINES) {
  describe(`feed ingestion (${engine})`, () => {
    let hub: TestHub;
    before(async () => {
      hub = await startContext(engine);
    });
    after(() => hub.close());

    const ingest = (source: FeedSource, body: string, batchId: string, format: FeedFormat = 'ndjson') =>
      hub.parts.services.ingest.ingest(Readable.from([body]), {
        source,
        format,
        batchId,
        province: '440000',
        now: hub.clock.now(),
        by: { actorKind: 'system', actorRef: 'test' },
      });
    const manifestRows = (source: string, batchId: string) => manifestRowsOf(hub, source, batchId);
    /** SQLite: the spool files of batches being written (PostgreSQL has none). */
    const spoolFiles = () => {
      const dir = `${hub.parts.config.sqliteFile}.spool`;
      return engine === 'sqlite' && existsSync(dir) ? readdirSync(dir) : [];
    };
    const count = async (table: 'health_events' | 'manifests' | 'telecom_stays' | 'area_risk_levels') =>
      Number(
        (
          await hub.parts.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('a good record of every source becomes evidence with its provenance', async () => {
      for (const [source, record] of Object.entries(GOOD) as [FeedSource, Record<string, unknown>][]) {
        const r = await ingest(source, ndjson([record]), `good-${source}`);
        assert.deepEqual([r.duplicate, r.total, r.accepted, r.rejected], [false, 1, 1, []], source);
      }
      assert.equal(await count('health_events'), 1);
      assert.equal(await count('manifests'), 3);
      const [train] = await manifestRows('railway', 'good-railway');
      assert.deepEqual(
        [
          train?.kind,
          train?.trip_key,
          train?.position,
          train?.seat,
          train?.province,
          train?.batch_id,
          train?.line,
        ],
        ['train', 'T:G123:2026-11-20', 5, '12F', '440000', 'good-railway', 1],
      );
      const [flight] = await manifestRows('aviation', 'good-aviation');
      assert.deepEqual([flight?.kind, flight?.position], ['flight', 23]);
      const [inbound] = await manifestRows('immigration', 'good-immigration');
      assert.deepEqual([inbound?.kind, inbound?.position, inbound?.port], ['inbound_flight', 0, 'PEK']);
      // No personal data in clear.
      assert.notEqual(train?.doc_hash, BOB.documentNumber);
      assert.equal(
        train?.doc_hash,
        hub.parts.repositories.persons.documentHash({
          type: 'id_card',
          number: BOB.documentNumber,
          nationality: 'CHN',
        }),
      );
    });

    test('bad records are quarantined with line and reason; the good ones are published', async () => {
      const body = ndjson([
        GOOD.railway,
        '{broken',
        { ...GOOD.railway, carriage: 0 },
        {
          ...GOOD.railway,
          documentNumber: `${BOB.documentNumber.slice(0, 17)}${BOB.documentNumber.endsWith('0') ? '1' : '0'}`,
        },
        { ...GOOD.railway, date: '2026-02-30' },
        { ...GOOD.railway, seat: undefined },
        { ...GOOD.railway, coach: 3 },
        '',
        [1, 2],
        { ...GOOD.railway, seat: '13A' },
      ]);
      const r = await ingest('railway', body, 'mixed-1');
      assert.equal(r.total, 9);
      assert.equal(r.accepted, 2);
      assert.deepEqual(
        r.rejected.map((x) => [x.line, x.code, x.field]),
        [
          [2, 'YMT_ERR_FEED_FORMAT', 'record'],
          [3, 'YMT_ERR_FEED_FIELD', 'carriage'],
          [4, 'YMT_ERR_ID_NUMBER_CHECKSUM', 'documentNumber'],
          [5, 'YMT_ERR_FEED_DATE', 'date'],
          [6, 'YMT_ERR_FEED_MISSING_FIELD', 'seat'],
          [7, 'YMT_ERR_FEED_UNKNOWN_FIELD', 'coach'],
          [9, 'YMT_ERR_FEED_FORMAT', 'record'],
        ],
      );
      const q = await hub.parts.services.feedBatches.quarantined(
        { role: 'operator', name: 'test' },
        hub.clock.now(),
        'railway',
        'mixed-1',
      );
      assert.equal(q[0]?.record, '{broken');
      // Issue 17: who read the quarantined records (as sent, personal data in clear) is in the audit log.
      const read = await hub.parts.db
        .selectFrom('audit_log')
        .select(['actor_kind', 'actor_ref', 'action', 'subject'])
        .where('action', '=', 'feed.quarantine.read')
        .execute();
      assert.deepEqual(read, [
        {
          actor_kind: 'operator',
          actor_ref: 'test',
          action: 'feed.quarantine.read',
          subject: 'railway/mixed-1',
        },
      ]);
      assert.deepEqual(
        (await manifestRows('railway', 'mixed-1')).map((x) => x.line),
        [1, 10],
      );
    });

    test('re-sending a batch id changes nothing', async () => {
      const before = await count('manifests');
      const again = await ingest('railway', ndjson([GOOD.railway, GOOD.railway, GOOD.railway]), 'mixed-1');
      assert.equal(again.duplicate, true);
      assert.equal(again.accepted, 2);
      assert.equal(await count('manifests'), before);
    });

    test('a crash mid-batch publishes nothing, and re-sending completes it', async () => {
      const before = await count('manifests');
      let sent = 0;
      // More than one chunk (5,000 records) is written aside before the connection breaks.
      const broken = new Readable({
        read() {
          if (sent < 7500) {
            this.push(`${JSON.stringify({ ...GOOD.railway, seat: `${(sent % 99) + 1}A` })}\n`);
            sent++;
          } else {
            this.destroy(new Error('connection reset'));
          }
        },
      });
      await assert.rejects(
        hub.parts.services.ingest.ingest(broken, {
          source: 'railway',
          format: 'ndjson',
          batchId: 'crash-1',
          province: null,
          now: hub.clock.now(),
          by: { actorKind: 'system', actorRef: 'test' },
        }),
        /connection reset/,
      );
      assert.equal(await count('manifests'), before);
      assert.equal(await hub.parts.services.feedBatches.report('railway', 'crash-1'), undefined);
      assert.deepEqual(spoolFiles(), [], 'the spool of the broken attempt is gone');
      const lines = Array.from({ length: 7500 }, (_, i) => ({ ...GOOD.railway, seat: `${(i % 99) + 1}A` }));
      const done = await ingest('railway', ndjson(lines), 'crash-1');
      assert.deepEqual([done.duplicate, done.accepted], [false, 7500]);
      assert.equal(await count('manifests'), before + 7500);
      const rows = await manifestRows('railway', 'crash-1');
      assert.deepEqual(
        rows.map((r) => r.line),
        Array.from({ length: 7500 }, (_, i) => i + 1),
        'every line once, in order',
      );
      assert.deepEqual(spoolFiles(), []);
    });

    test('CSV with a header, quoted fields and a line break inside quotes', async () => {
      const csv = [
        'areaCode,level,from,to,authority',
        '420100,high,2026-11-20T00:00:00+08:00,2026-11-27T00:00:00+08:00,"武汉市卫生健康委员会, 疫情防控办"',
        '440300,medium,2026-11-20T00:00:00+08:00,2026-11-19T00:00:00+08:00,x',
        '110000,low,2026-11-20T00:00:00+08:00,2026-11-27T00:00:00+08:00,"第一行',
        '第二行"',
        '999999,low,2026-11-20T00:00:00+08:00,2026-11-27T00:00:00+08:00,x',
        '110000,low,2026-11-20T00:00:00+08:00',
      ].join('\r\n');
      const r = await ingest('area-risk', csv, 'csv-1', 'csv');
      assert.equal(r.accepted, 1);
      // The quoted line break is read as part of its field, and then refused by the text rule: an authority is
      // one line (src/text/text.domain.ts).
      assert.deepEqual(
        r.rejected.map((x) => [x.line, x.code, x.field]),
        [
          [3, 'YMT_ERR_FEED_TIME_ORDER', 'to'],
          [4, 'YMT_ERR_TEXT_CONTROL', 'authority'],
          [6, 'YMT_ERR_REGION_UNKNOWN', 'areaCode'],
          [7, 'YMT_ERR_FEED_FORMAT', 'record'],
        ],
      );
      const rows = await hub.parts.db
        .selectFrom('area_risk_levels')
        .selectAll()
        .where('batch_id', '=', 'csv-1')
        .orderBy('line')
        .execute();
      assert.deepEqual(
        rows.map((x) => [x.line, x.authority]),
        [[2, '武汉市卫生健康委员会, 疫情防控办']],
      );
    });

    test('processing that fails after publishing is finished by re-sending the batch', async () => {
      let calls = 0;
      const flaky = new IngestService(
        hub.parts.db,
        hub.parts.cipher,
        hub.clock.now,
        hub.parts.batchWriters,
        new FeedBatchesRepository(),
        hub.parts.services.feedBatches,
        new JourneysRepository(),
        () => {
          calls++;
          return calls === 1 ? Promise.reject(new Error('exposure engine down')) : Promise.resolve();
        },
      );
      const opts = {
        source: 'health' as const,
        format: 'ndjson' as const,
        batchId: 'flaky-1',
        province: null,
        now: hub.clock.now(),
        by: { actorKind: 'system', actorRef: 'test' },
      };
      await assert.rejects(
        flaky.ingest(Readable.from([ndjson([GOOD.health])]), opts),
        /exposure engine down/,
      );
      const again = await flaky.ingest(Readable.from([ndjson([GOOD.health])]), opts);
      assert.equal(again.duplicate, true);
      assert.equal(calls, 2);
      await flaky.ingest(Readable.from([ndjson([GOOD.health])]), opts);
      assert.equal(calls, 2, 'a processed batch is not processed again');
    });

    test('a bad batch id is refused', async () => {
      await assert.rejects(
        ingest('health', ndjson([GOOD.health]), '../etc'),
        (e: unknown) => (e as { code?: string }).code === 'YMT_ERR_FEED_BATCH_ID',
      );
    });
  });
}
