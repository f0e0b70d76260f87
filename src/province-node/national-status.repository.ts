/**
 * A provincial node's copy of the national status of its holders (`national_status`, migration 0010): what the
 * hub last sent for each, with the hub's delta id (only a newer one replaces it).
 */
import type { Colour } from '../codec/token.ts';
import type { Db } from '../db/database.ts';
import type { CaseStatusAnswer } from '../status/case-status.domain.ts';
import type { StatusReason } from '../status/status.domain.ts';

/** Where national findings come from, as their evidence names it on a node. */
export const NATIONAL_SOURCE = 'national';

export interface NationalStatus {
  readonly deltaId: number;
  readonly colour: Colour;
  /** As the node shows them: each names the hub's record behind it. */
  readonly reasons: readonly StatusReason[];
  /** The case status the hub's findings carry (null: the hub did not say). */
  readonly caseStatus: CaseStatusAnswer | null;
  /** When the hub computed it. */
  readonly asOf: number;
  readonly receivedAt: number;
}

export class NationalStatusRepository {
  async get(db: Db, personId: string): Promise<NationalStatus | undefined> {
    const r = await db
      .selectFrom('national_status')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirst();
    return (
      r && {
        deltaId: r.delta_id,
        colour: r.colour,
        reasons: JSON.parse(r.reasons) as StatusReason[],
        caseStatus: r.case_status === null ? null : (JSON.parse(r.case_status) as CaseStatusAnswer),
        asOf: r.as_of,
        receivedAt: r.received_at,
      }
    );
  }

  /** Stores what the hub sent unless the node holds a newer (or the same) delta; whether it was stored. */
  async putIfNewer(db: Db, personId: string, s: NationalStatus): Promise<boolean> {
    const current = await db
      .selectFrom('national_status')
      .select('delta_id')
      .where('person_id', '=', personId)
      .executeTakeFirst();
    if (current && current.delta_id >= s.deltaId) return false;
    const values = {
      delta_id: s.deltaId,
      colour: s.colour,
      reasons: JSON.stringify(s.reasons),
      case_status: s.caseStatus === null ? null : JSON.stringify(s.caseStatus),
      as_of: s.asOf,
      received_at: s.receivedAt,
    };
    if (current)
      await db.updateTable('national_status').set(values).where('person_id', '=', personId).execute();
    else
      await db
        .insertInto('national_status')
        .values({ person_id: personId, ...values })
        .execute();
    return true;
  }

  /**
   * The national findings of a holder, for the node's status (the node's side of the ExternalSource): unknown when
   * the hub never sent anything — a node never takes that for green.
   */
  async findings(
    db: Db,
    holder: { readonly personId: string },
  ): Promise<{ reasons: readonly StatusReason[]; known: boolean; asOf: number | null }> {
    const s = await this.get(db, holder.personId);
    if (!s) return { reasons: [], known: false, asOf: null };
    return { reasons: s.colour === 'green' ? [] : s.reasons, known: true, asOf: s.asOf };
  }

  /** The case status the hub last sent for a holder (for the node's case status answer). */
  async caseStatus(db: Db, personId: string): Promise<CaseStatusAnswer | undefined> {
    return (await this.get(db, personId))?.caseStatus ?? undefined;
  }
}
