/**
 * Journeys (a train, flight or inbound flight on a date) and batch references: the small integers manifest
 * rows carry. Both are allocated outside a batch's publishing transaction and are harmless if that batch never
 * publishes (a journey with no rows is not evidence).
 */
import type { Db } from '../db/database.ts';
import type { TripKind } from '../exposure/exposure.domain.ts';

export interface JourneyKey {
  readonly tripKey: string;
  readonly kind: TripKind;
  readonly tripDate: string;
}

/** The first 48 bits of a base64url keyed hash, as a safe integer: the lookup key of a person's trips. */
export function docKey(docHash: string): number {
  // 8 base64url characters are exactly the first 6 bytes.
  return Buffer.from(docHash.slice(0, 8), 'base64url').readIntBE(0, 6);
}

export class JourneysRepository {
  /** The ids of these journeys, creating the missing ones. */
  async resolve(db: Db, journeys: readonly JourneyKey[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (let i = 0; i < journeys.length; i += 1000) {
      const chunk = journeys.slice(i, i + 1000);
      await db
        .insertInto('journeys')
        .values(chunk.map((j) => ({ trip_key: j.tripKey, kind: j.kind, trip_date: j.tripDate })))
        .onConflict((oc) => oc.column('trip_key').doNothing())
        .execute();
      const rows = await db
        .selectFrom('journeys')
        .select(['id', 'trip_key'])
        .where(
          'trip_key',
          'in',
          chunk.map((j) => j.tripKey),
        )
        .execute();
      for (const r of rows) ids.set(r.trip_key, r.id);
    }
    return ids;
  }

  /** The batch's reference number, the same for every attempt to send it. */
  async batchRef(db: Db, source: string, batchId: string): Promise<number> {
    await db
      .insertInto('feed_batch_refs')
      .values({ source, batch_id: batchId })
      .onConflict((oc) => oc.columns(['source', 'batch_id']).doNothing())
      .execute();
    const r = await db
      .selectFrom('feed_batch_refs')
      .select('ref')
      .where('source', '=', source)
      .where('batch_id', '=', batchId)
      .executeTakeFirstOrThrow();
    return r.ref;
  }
}
