/**
 * Stored status snapshots, and their invalidation when evidence about a holder changes. Whatever drops a holder's
 * snapshot also marks them for the status exchange (src/exchange), in the same statement's transaction: the mark
 * stays until the exchange has looked at them, whatever reads the status meanwhile.
 */
import type { Colour } from '../codec/token.ts';
import type { Db } from '../db/database.ts';
import type { StatusSnapshotsTable } from '../db/schema.ts';
import type { StatusExchangeRepository } from '../exchange/status-exchange.repository.ts';
import type { StatusReason } from './status.domain.ts';

/** What the status knew of the other side (on a node: the hub's national status). */
export interface ExternalState {
  readonly known: boolean;
  /** When the other side computed it, if it says. */
  readonly asOf: number | null;
}

export interface Snapshot {
  readonly colour: Colour;
  readonly reasons: readonly StatusReason[];
  readonly ruleSet: string;
  readonly declared: boolean;
  readonly computedAt: number;
  readonly expiresAt: number;
  readonly external: ExternalState;
}

/** A stored row as a snapshot. */
export function snapshotOfRow(
  r: Pick<
    StatusSnapshotsTable,
    'colour' | 'reasons' | 'rule_set' | 'declared' | 'computed_at' | 'expires_at' | 'external_as_of'
  > & { readonly external_known: number },
): Snapshot {
  return {
    colour: r.colour,
    reasons: JSON.parse(r.reasons) as StatusReason[],
    ruleSet: r.rule_set,
    declared: r.declared === 1,
    computedAt: r.computed_at,
    expiresAt: r.expires_at,
    external: { known: r.external_known === 1, asOf: r.external_as_of },
  };
}

/**
 * The snapshot's columns, for a statement that left-joins `status_snapshots as s` to what it reads (the session
 * read, src/auth/sessions.repository.ts): read them back with snapshotOfJoined.
 */
export const JOINED_SNAPSHOT = [
  's.colour as snapshot_colour',
  's.reasons',
  's.rule_set',
  's.declared',
  's.computed_at',
  's.expires_at as snapshot_expires_at',
  's.external_known',
  's.external_as_of',
] as const;

type Nullable<T> = { readonly [K in keyof T]: T[K] | null };

/** The snapshot of a row read with JOINED_SNAPSHOT; undefined where the left join found none. */
export function snapshotOfJoined(
  r: Nullable<
    Pick<StatusSnapshotsTable, 'reasons' | 'rule_set' | 'declared' | 'computed_at' | 'external_as_of'> & {
      readonly snapshot_colour: Colour;
      readonly snapshot_expires_at: number;
      readonly external_known: number;
    }
  >,
): Snapshot | undefined {
  if (
    r.snapshot_colour === null ||
    r.reasons === null ||
    r.rule_set === null ||
    r.declared === null ||
    r.computed_at === null ||
    r.snapshot_expires_at === null ||
    r.external_known === null
  )
    return undefined;
  return snapshotOfRow({
    colour: r.snapshot_colour,
    reasons: r.reasons,
    rule_set: r.rule_set,
    declared: r.declared,
    computed_at: r.computed_at,
    expires_at: r.snapshot_expires_at,
    external_known: r.external_known,
    external_as_of: r.external_as_of,
  });
}

export class StatusSnapshotsRepository {
  /** `marks`: the exchange's dirty marks (none where nothing is exchanged). */
  constructor(private readonly marks?: StatusExchangeRepository) {}

  async get(db: Db, personId: string): Promise<Snapshot | undefined> {
    const r = await db
      .selectFrom('status_snapshots')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirst();
    return r && snapshotOfRow(r);
  }

  async put(db: Db, personId: string, s: Snapshot): Promise<void> {
    const row = {
      colour: s.colour,
      reasons: JSON.stringify(s.reasons),
      rule_set: s.ruleSet,
      declared: s.declared ? 1 : 0,
      computed_at: s.computedAt,
      expires_at: s.expiresAt,
      external_known: s.external.known ? 1 : 0,
      external_as_of: s.external.asOf,
    };
    await db
      .insertInto('status_snapshots')
      .values({ person_id: personId, ...row })
      .onConflict((oc) => oc.column('person_id').doUpdateSet(row))
      .execute();
  }

  /** Drops one holder's snapshot: whatever changes their evidence calls this, and the next read recomputes. */
  async invalidate(db: Db, personId: string): Promise<void> {
    await db.deleteFrom('status_snapshots').where('person_id', '=', personId).execute();
    await this.marks?.mark(db, [personId]);
  }

  /** Drops the snapshots of the holders with these document or phone hashes. */
  async invalidateByHashes(
    db: Db,
    documentHashes: readonly string[],
    phoneHashes: readonly string[] = [],
  ): Promise<void> {
    for (let i = 0; i < Math.max(documentHashes.length, phoneHashes.length); i += 500) {
      const docs = documentHashes.slice(i, i + 500);
      const phones = phoneHashes.slice(i, i + 500);
      await db
        .deleteFrom('status_snapshots')
        .where('person_id', 'in', (eb) =>
          eb
            .selectFrom('persons')
            .select('person_id')
            .where((w) =>
              w.or([
                w('document_hash', 'in', docs.length > 0 ? docs : ['']),
                w('phone_hash', 'in', phones.length > 0 ? phones : ['']),
              ]),
            ),
        )
        .execute();
    }
    await this.marks?.markByHashes(db, documentHashes, phoneHashes);
  }

  /** Drops the snapshots of everyone the cases of a health batch exposed, in one statement. */
  async invalidateExposedBy(db: Db, caseBatchId: string): Promise<void> {
    await db
      .deleteFrom('status_snapshots')
      .where('person_id', 'in', (eb) =>
        eb
          .selectFrom('persons as p')
          .innerJoin('exposures as e', 'e.doc_hash', 'p.document_hash')
          .select('p.person_id')
          .where('e.case_batch_id', '=', caseBatchId),
      )
      .execute();
    await this.marks?.markExposedBy(db, caseBatchId);
  }

  /** A change that may concern anyone (an area's risk level): every snapshot is dropped. */
  async invalidateAll(db: Db): Promise<void> {
    await db.deleteFrom('status_snapshots').execute();
    await this.marks?.markAll(db);
  }
}
