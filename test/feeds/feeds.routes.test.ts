import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE } from '../helpers/people.ts';
import { manifestRows } from '../helpers/feeds.ts';

const record = (seat: string) =>
  JSON.stringify({
    documentType: 'id_card',
    documentNumber: ALICE.documentNumber,
    trainNo: 'G123',
    date: '2026-11-20',
    carriage: 5,
    seat,
  });

interface Report {
  duplicate: boolean;
  accepted: number;
  province: string | null;
  rejected: { line: number; code: string; field: string }[];
}

for (const engine of ENGINES) {
  describe(`the feed API (${engine})`, () => {
    let hub: TestApp;
    let railway: string;
    let railwayId: string;
    let railwayGd: string;
    let health: string;
    before(async () => {
      hub = await startApp(engine, { env: { FEED_MAX_BYTES: '4096' } });
      const national = await hub.parts.services.departments.create(
        '国铁集团',
        'railway',
        null,
        new Date(hub.clock.nowMs),
      );
      railway = national.token;
      railwayId = national.departmentId;
      railwayGd = (
        await hub.parts.services.departments.create(
          '广铁集团',
          'railway',
          '440000',
          new Date(hub.clock.nowMs),
        )
      ).token;
      health = (
        await hub.parts.services.departments.create('国家卫健委', 'health', null, new Date(hub.clock.nowMs))
      ).token;
    });
    after(() => hub.close());

    const send = (
      token: string | undefined,
      body: string,
      query = '?batchId=b-1',
      source = 'railway',
      type = 'application/x-ndjson',
    ) =>
      hub.app.inject({
        method: 'POST',
        url: `/api/v1/feeds/${source}/batches${query}`,
        headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        payload: body,
      });

    test('a department sends a batch: 201 with the report; the same batch again is 200 and changes nothing', async () => {
      const body = [record('1A'), '{"documentType":"id_card"}', record('2B')].join('\n');
      const first = await send(railway, body);
      assert.equal(first.statusCode, 201, first.body);
      const r = first.json<Report>();
      assert.equal(r.accepted, 2);
      assert.deepEqual(
        r.rejected.map((x) => [x.line, x.code]),
        [[2, 'YMT_ERR_FEED_MISSING_FIELD']],
      );
      const again = await send(railway, body);
      assert.equal(again.statusCode, 200);
      assert.equal(again.json<Report>().duplicate, true);
      assert.equal((await manifestRows(hub, 'railway', 'b-1')).length, 2);
      // Chained once, with the department that sent it, in the publishing transaction.
      const chained = await hub.parts.db
        .selectFrom('audit_log')
        .select(['actor_kind', 'actor_ref', 'detail'])
        .where('action', '=', 'feed.batch.publish')
        .where('subject', '=', 'railway/b-1')
        .execute();
      assert.deepEqual(chained, [
        {
          actor_kind: 'department',
          actor_ref: railwayId,
          detail: JSON.stringify({ province: null, total: 3, accepted: 2, rejected: 1 }),
        },
      ]);
      assert.equal((await hub.parts.services.audit.verify()).ok, true);
    });

    test('the department reads its report and its quarantined records', async () => {
      const report = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/feeds/railway/batches/b-1',
        headers: { authorization: `Bearer ${railway}` },
      });
      assert.equal(report.json<Report>().accepted, 2);
      const q = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/feeds/railway/batches/b-1/quarantine',
        headers: { authorization: `Bearer ${railway}` },
      });
      assert.deepEqual(q.json(), [
        {
          line: 2,
          code: 'YMT_ERR_FEED_MISSING_FIELD',
          field: 'documentNumber',
          record: '{"documentType":"id_card"}',
        },
      ]);
    });

    test('CSV bodies are accepted; the province comes from the credential', async () => {
      const csv =
        'documentType,documentNumber,trainNo,date,carriage,seat\nid_card,' +
        ALICE.documentNumber +
        ',D7,2026-11-21,3,4C\n';
      const res = await send(railwayGd, csv, '?batchId=gd-1', 'railway', 'text/csv; charset=utf-8');
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual([res.json<Report>().accepted, res.json<Report>().province], [1, '440000']);
    });

    test('credentials: none is 401, another source is 403, another province cannot read the batch', async () => {
      assert.equal((await send(undefined, record('1A'), '?batchId=x')).statusCode, 401);
      assert.equal((await send('ymtd_' + 'x'.repeat(43), record('1A'), '?batchId=x')).statusCode, 401);
      const wrong = await send(health, record('1A'), '?batchId=x');
      assert.equal(wrong.statusCode, 403);
      assert.equal(wrong.json<{ error: { code: string } }>().error.code, 'YMT_ERR_FEED_FORBIDDEN');
      const other = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/feeds/railway/batches/b-1',
        headers: { authorization: `Bearer ${railwayGd}` },
      });
      assert.equal(other.json<{ error: { code: string } }>().error.code, 'YMT_ERR_FEED_BATCH_NOT_FOUND');
      const holder = await send(railway, record('1A'), '?batchId=x', 'railway', 'application/json');
      assert.equal(holder.json<{ error: { code: string } }>().error.code, 'YMT_ERR_FEED_MEDIA_TYPE');
    });

    test('bad requests are coded: unknown source, missing or bad batch id, a body over the limit', async () => {
      assert.equal((await send(railway, record('1A'), '?batchId=x', 'weather')).statusCode, 400);
      assert.equal((await send(railway, record('1A'), '')).statusCode, 400);
      assert.equal((await send(railway, record('1A'), '?batchId=a/b')).statusCode, 400);
      const big = Array.from({ length: 60 }, (_, i) => record(`${i + 1}A`)).join('\n');
      const res = await send(railway, big, '?batchId=big-1');
      assert.equal(res.statusCode, 413);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'YMT_ERR_PAYLOAD_TOO_LARGE');
      // Nothing of the refused batch was published, and it can be sent again within the limit.
      assert.equal((await manifestRows(hub, 'railway', 'big-1')).length, 0);
      assert.equal(
        (await send(railway, big.split('\n').slice(0, 10).join('\n'), '?batchId=big-1')).statusCode,
        201,
      );
    });

    test('a revoked credential is refused', async () => {
      const d = await hub.parts.services.departments.create(
        '临时',
        'railway',
        null,
        new Date(hub.clock.nowMs),
      );
      assert.equal((await send(d.token, record('1A'), '?batchId=r-1')).statusCode, 201);
      assert.equal(
        await hub.parts.services.departments.revoke(d.departmentId, new Date(hub.clock.nowMs)),
        true,
      );
      assert.equal((await send(d.token, record('1A'), '?batchId=r-2')).statusCode, 401);
    });
  });
}
