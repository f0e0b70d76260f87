/**
 * The holder's status (Q2.1): every piece of evidence the hub holds — health events, co-travel exposures,
 * telecom stays with the risk level of each place, the declaration and an inbound traveller's entry checked against
 * the immigration records — through the status rule set in force (the
 * national baseline, or a version an operator scheduled),
 * with the entries of the `status` table beside it, kept as a snapshot that showing a code reads.
 */
import type { Colour } from '../codec/token.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { DeclarationsRepository } from '../declaration/declarations.repository.ts';
import type { EvidenceRepository } from '../evidence/evidence.repository.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import { baselineNumber } from '../risk/baseline.ts';
import { compareEntry, entryWindow, type EntryFields } from '../declaration/entry.domain.ts';
import type { EntryFact, EvidenceBundle, EvidenceRef } from '../risk/evidence.ts';
import { assess, ruleSetName } from '../risk/risk-engine.ts';
import type { RuleSet } from '../rule-sets/rule-set.ts';
import { nextShanghaiMidnight, shanghaiDate } from '../time/shanghai.ts';
import { summarise, type HolderSummary } from './holder-summary.ts';
import type { StatusEntriesRepository } from './status-entries.repository.ts';
import type { ExternalState, Snapshot, StatusSnapshotsRepository } from './status-snapshots.repository.ts';
import { combineStatus, entryFindings, type StatusReason } from './status.domain.ts';

export interface Status {
  readonly colour: Colour;
  readonly reasons: readonly StatusReason[];
  readonly asOf: Date;
  /** Whether the holder has filled in a declaration (a code needs one). */
  readonly declared: boolean;
  readonly ruleSet: string;
  /** What was known from the other side (on a node: the hub's national status; on the hub: always known). */
  readonly external: ExternalState;
}

/**
 * Findings from the other side of the federation: on the hub, what provinces pushed about the holder (each with
 * its province and delta id); on a node, the national status the hub sent. Each reason's evidence says where it
 * came from (`province:440000`, or the hub's own records), which is how the exchange leaves out what a peer itself
 * said when it answers that peer.
 */
export interface ExternalSource {
  findings(
    db: Db,
    holder: { readonly personId: string; readonly documentHash: string | undefined },
  ): Promise<{ reasons: readonly StatusReason[]; known: boolean; asOf: number | null }>;
}

const ALWAYS_KNOWN: ExternalState = { known: true, asOf: null };

export class StatusService {
  constructor(
    private readonly db: Db,
    private readonly persons: PersonsRepository,
    private readonly declarations: DeclarationsRepository,
    private readonly entries: StatusEntriesRepository,
    private readonly evidence: EvidenceRepository,
    private readonly snapshots: StatusSnapshotsRepository,
    /** The status rule set in force (the baseline, or a version an operator scheduled). */
    private readonly rules: { inForce(now: Date): Promise<RuleSet> },
    private readonly snapshotTtlSeconds: number,
    /** Findings from the other side of the federation (ExternalSource above). */
    private readonly external?: ExternalSource,
    /**
     * Where the snapshot and the holder's name are read (a streaming replica within READ_MAX_LAG_MS,
     * src/db/read-replica.ts). A missing or stale snapshot is computed and written on the primary.
     */
    private readonly reads: Db = db,
  ) {}

  /** How far back evidence can matter: the baseline's window. */
  windowDays(): number {
    return baselineNumber('windowDays');
  }

  /** The evidence of the holder with these lookup keys (undefined when the holder is unknown). */
  private async bundle(
    personId: string,
    keys: { documentHash: string; phoneHash: string | null } | undefined,
    now: Date,
  ): Promise<EvidenceBundle & { declared: boolean }> {
    const since = now.getTime() - this.windowDays() * 86400_000;
    const [declaration, healthEvents, coTravel, visits] = await Promise.all([
      this.declarations.latest(this.db, personId),
      keys ? this.evidence.healthEvents(this.db, keys.documentHash) : [],
      keys ? this.evidence.coTravel(this.db, keys.documentHash, since, now.getTime()) : [],
      keys ? this.evidence.visits(this.db, keys.phoneHash, since) : [],
    ]);
    const evidence = {
      source: 'declaration',
      batchId: 'declaration',
      record: declaration?.version ?? 0,
    } as const;
    const declared = declaration?.body.entry;
    return {
      healthEvents,
      coTravel,
      visits,
      declaration: declaration && { ...declaration.body, evidence },
      entry: declared && keys && (await this.entryFact(declared, keys.documentHash, now, evidence)),
      declared: declaration !== undefined,
    };
  }

  /** An inbound traveller's declared entry against the immigration records (read only when one is declared). */
  private async entryFact(
    declared: EntryFields,
    documentHash: string,
    now: Date,
    evidence: EvidenceRef,
  ): Promise<EntryFact> {
    const { since, until } = entryWindow(shanghaiDate(now));
    const recorded = await this.evidence.entries(this.db, documentHash, since, until);
    const check = compareEntry(declared, recorded);
    return {
      result: check.result,
      fields: check.fields,
      declaredTripNo: declared.tripNo,
      declaredDate: declared.date,
      recordedTripNo: check.nearest?.tripNo,
      recordedDate: check.nearest?.date,
      evidence,
    };
  }

  /**
   * The holder's status, from the snapshot while it is fresh. New evidence drops a holder's snapshot at once
   * (src/status/batch-effects.service.ts and every service that records evidence); a snapshot also expires after STATUS_SNAPSHOT_TTL_SECONDS and at
   * midnight in Asia/Shanghai, so colours whose window has closed turn back.
   */
  async current(personId: string, now: Date): Promise<Status> {
    return this.currentGiven(personId, now, await this.snapshots.get(this.reads, personId));
  }

  /**
   * `current` for the holder's own request, from the snapshot read with their session (on the primary, in the
   * same statement: one read instead of two). Where status reads go to a replica, the replica is read instead, as
   * for every reader: moving that load off the primary is what the replica is for.
   */
  currentForHolder(personId: string, now: Date, withSession: Snapshot | undefined): Promise<Status> {
    return this.reads === this.db
      ? this.currentGiven(personId, now, withSession)
      : this.current(personId, now);
  }

  /** `current`, with the holder's stored snapshot already read (joined with other rows by the caller). */
  async currentGiven(personId: string, now: Date, snap: Snapshot | undefined): Promise<Status> {
    const rules = await this.rules.inForce(now);
    // A snapshot made under another rule set (a scheduled version came into force) is computed again.
    if (
      snap &&
      snap.computedAt <= now.getTime() &&
      now.getTime() < snap.expiresAt &&
      snap.ruleSet === ruleSetName(rules)
    ) {
      return {
        colour: snap.colour,
        reasons: snap.reasons,
        asOf: new Date(snap.computedAt),
        declared: snap.declared,
        ruleSet: snap.ruleSet,
        external: snap.external,
      };
    }
    const status = await this.compute(personId, now, rules);
    await this.snapshots.put(this.db, personId, {
      ...status,
      computedAt: now.getTime(),
      expiresAt: Math.min(
        now.getTime() + this.snapshotTtlSeconds * 1000,
        nextShanghaiMidnight(now).getTime(),
      ),
    });
    return status;
  }

  /** What another party may learn, with the holder's consent (holder-summary.ts). */
  async summary(personId: string, now: Date): Promise<HolderSummary> {
    const [person, s] = await Promise.all([
      this.persons.get(this.reads, personId),
      this.current(personId, now),
    ]);
    if (!person) throw new AppError('YMT_ERR_NOT_FOUND');
    return summarise(person.name, s);
  }

  /**
   * What this side tells a peer of the federation about the holder now (src/exchange): everything it holds but
   * what came from `peerSource` (the peer's own findings, which it already has). Computed afresh, not cached.
   */
  async statusFor(
    personId: string,
    now: Date,
    peerSource: string,
  ): Promise<Pick<Status, 'colour' | 'reasons'>> {
    const s = await this.compute(personId, now, await this.rules.inForce(now));
    const kept = s.reasons.filter((r) => r.evidence.source !== peerSource && r.code !== 'NO_ABNORMALITY');
    return combineStatus(kept);
  }

  /** Computes the status from the evidence under `rules` (the set in force), without the snapshot. */
  private async compute(personId: string, now: Date, rules: RuleSet): Promise<Status> {
    const keys = await this.persons.lookupKeys(this.db, personId);
    const [bundle, entries, elsewhere] = await Promise.all([
      this.bundle(personId, keys, now),
      this.entries.active(this.db, personId, now.getTime()),
      this.external?.findings(this.db, { personId, documentHash: keys?.documentHash }),
    ]);
    const assessed = assess(rules, bundle, now);
    const findings: StatusReason[] = [
      ...entryFindings(entries, now.getTime()),
      ...(elsewhere?.reasons ?? []),
      ...assessed.reasons,
    ];
    return {
      ...combineStatus(findings),
      asOf: now,
      declared: bundle.declared,
      ruleSet: assessed.ruleSet,
      external: elsewhere ? { known: elsewhere.known, asOf: elsewhere.asOf } : ALWAYS_KNOWN,
    };
  }
}
