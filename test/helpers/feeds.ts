/** Sends NDJSON records through the real ingestion, asserting that every one is accepted. */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { FeedSource } from '../../src/feeds/feed-records.rules.ts';
import type { TestHub } from './context.ts';

export async function sendFeed(
  hub: TestHub,
  source: FeedSource,
  batchId: string,
  records: readonly object[],
): Promise<void> {
  const report = await hub.ctx.feeds.ingest(
    Readable.from([records.map((r) => JSON.stringify(r)).join('\n')]),
    {
      source,
      format: 'ndjson',
      batchId,
      province: null,
      now: hub.clock.now(),
    },
  );
  assert.deepEqual(report.rejected, [], `${batchId} has rejected records`);
}
