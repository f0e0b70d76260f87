/** Feed helpers: send records through the real ingestion; read a batch's manifest rows back. */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { FeedSource } from '../../src/feeds/feed-records.domain.ts';
import type { TestHub } from './context.ts';

/** Sends NDJSON records through the real ingestion, asserting that every one is accepted. */
export async function sendFeed(
  hub: TestHub,
  source: FeedSource,
  batchId: string,
  records: readonly object[],
): Promise<void> {
  const report = await hub.parts.services.ingest.ingest(
    Readable.from([records.map((r) => JSON.stringify(r)).join('\n')]),
    {
      source,
      format: 'ndjson',
      batchId,
      province: null,
      now: hub.clock.now(),
      by: { actorKind: 'system', actorRef: 'test' },
    },
  );
  assert.deepEqual(report.rejected, [], `${batchId} has rejected records`);
}

/** A batch's manifest rows with their journey and provenance, in line order. */
export function manifestRows(hub: Pick<TestHub, 'parts'>, source: string, batchId: string) {
  return hub.parts.db
    .selectFrom('manifests as m')
    .innerJoin('journeys as j', 'j.id', 'm.journey_id')
    .innerJoin('feed_batch_refs as r', 'r.ref', 'm.batch_ref')
    .innerJoin('feed_batches as b', (j) =>
      j.onRef('b.source', '=', 'r.source').onRef('b.batch_id', '=', 'r.batch_id'),
    )
    .select(['j.kind', 'j.trip_key', 'm.position', 'm.seat', 'm.port', 'm.doc_hash', 'm.line'])
    .select(['b.province', 'r.batch_id'])
    .where('r.source', '=', source)
    .where('r.batch_id', '=', batchId)
    .orderBy('m.line')
    .execute();
}
