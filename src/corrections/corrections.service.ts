/**
 * 我要纠错 (MISSION.md Q2.8, Q5; docs/corrections.md): a holder disputes one record the hub shows them; the ticket
 * goes to the record's owner (routing.json); the owner accepts — which corrects the record through its own path
 * (corrections.effects.ts), never silently — or rejects with an answer the holder reads. One service for the
 * holder's app, the departments' and provinces' APIs, the console and the command line; the ticket workflow itself
 * (states, deadlines, escalation, notifications) is src/tickets.
 */
import type { Actor } from '../access/actor.ts';
import type { AccessHistoryRepository } from '../access/access-history.repository.ts';
import { accessActor } from '../access/actor.ts';
import type { Purpose } from '../access/purposes.ts';
import { recordAct } from '../audit/audited.ts';
import { inTransaction, type Db } from '../db/database.ts';
import { AppError, fieldProblem, requiredText } from '../errors/app-error.ts';
import type { EvidenceRepository } from '../evidence/evidence.repository.ts';
import type { FeedBatchesRepository } from '../feeds/feed-batches.repository.ts';
import { isFeedSource } from '../feeds/feed-records.domain.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { StatusService } from '../status/status.service.ts';
import type { Ticket } from '../tickets/tickets.repository.ts';
import { ANSWER_MAX, type OwnerFigures, type TicketsService } from '../tickets/tickets.service.ts';
import { parseOwnerId, type Owner } from '../tickets/workflow.domain.ts';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_MAX,
  sniff,
  type AttachmentInfo,
  type AttachmentsRepository,
  type AttachmentType,
} from './attachments.ts';
import {
  evidenceKey,
  isKind,
  route,
  SHIPPED_ROUTING,
  type CorrectionKind,
  type EvidenceRef,
  type Routing,
} from './corrections.domain.ts';
import type { CorrectionEffects, Decision } from './corrections.effects.ts';

/** Most open corrections per holder, and most opened in a day. */
export const OPEN_MAX = 5;
export const PER_DAY_MAX = 10;
export const TEXT_MAX = 1000;

/** What the holder wrote. */
export interface CorrectionDetails {
  readonly evidence: EvidenceRef;
  readonly kind: CorrectionKind;
  readonly text: string;
}

export type Correction = Ticket<CorrectionDetails>;

export interface CorrectionInput {
  readonly evidence: EvidenceRef;
  readonly kind: string;
  readonly text: string;
}

const sameRecord = (a: EvidenceRef, b: EvidenceRef) =>
  a.source === b.source && a.batchId === b.batchId && a.record === b.record;

export class CorrectionsService {
  constructor(
    private readonly db: Db,
    private readonly tickets: TicketsService,
    private readonly attachments: AttachmentsRepository,
    private readonly status: StatusService,
    private readonly evidence: EvidenceRepository,
    private readonly persons: PersonsRepository,
    private readonly batches: FeedBatchesRepository,
    private readonly effects: CorrectionEffects,
    private readonly history: AccessHistoryRepository,
    private readonly routing: Routing = SHIPPED_ROUTING,
  ) {}

  /** An owner's view of a holder's correction, in their access history (the holder is never in their own). */
  private seenByOwner(db: Db, actor: Actor, c: Correction, purpose: Purpose, now: Date): Promise<void> {
    return this.history.record(db, {
      personId: c.personId,
      at: now.getTime(),
      ...accessActor(actor),
      purpose,
    });
  }

  /**
   * Every record the hub shows the holder now: their status's reasons, their health events, co-travel trips and
   * telecom stays (GET /api/v1/me/health and its sub-routes).
   */
  private async shown(personId: string, now: Date): Promise<EvidenceRef[]> {
    const status = await this.status.current(personId, now);
    const keys = await this.persons.lookupKeys(this.db, personId);
    const since = now.getTime() - this.status.windowDays() * 86_400_000;
    const [health, trips, stays] = keys
      ? await Promise.all([
          this.evidence.healthEvents(this.db, keys.documentHash),
          this.evidence.coTravel(this.db, keys.documentHash, since, now.getTime()),
          this.evidence.telecomStays(this.db, keys.phoneHash, since),
        ])
      : [[], [], []];
    return [
      ...status.reasons.map((r) => r.evidence),
      ...health.map((e) => e.evidence),
      ...trips.map((t) => t.evidence),
      ...stays.map((s) => ({ source: 'telecom', batchId: s.batchId, record: s.line })),
    ];
  }

  /**
   * A holder disputes a record. The same record disputed again while its ticket is open joins that ticket (the new
   * text is kept with it): `merged`. Limits: OPEN_MAX open, PER_DAY_MAX a day.
   */
  async submit(
    personId: string,
    input: CorrectionInput,
    now: Date,
  ): Promise<{ correction: Correction; merged: boolean }> {
    if (!isKind(input.kind))
      throw new AppError('YMT_ERR_VALIDATION', [fieldProblem('kind', 'YMT_ERR_VALIDATION')]);
    const text = requiredText('text', input.text, TEXT_MAX);
    const e = input.evidence;
    const routed = route(
      this.routing,
      e,
      isFeedSource(e.source) ? await this.batches.batch(this.db, e.source, e.batchId) : undefined,
    );
    if (!routed.ok)
      throw new AppError('YMT_ERR_CORRECTION_NOT_DISPUTABLE', [
        fieldProblem('evidence', 'YMT_ERR_CORRECTION_NOT_DISPUTABLE'),
      ]);
    if (!(await this.shown(personId, now)).some((s) => sameRecord(s, e)))
      throw new AppError('YMT_ERR_CORRECTION_EVIDENCE', [
        fieldProblem('evidence', 'YMT_ERR_CORRECTION_EVIDENCE'),
      ]);
    const key = evidenceKey(e);
    const existing = await this.tickets.openOn<CorrectionDetails>(personId, key);
    if (existing) {
      await this.tickets.note(existing, 'holder', text, now);
      return { correction: existing, merged: true };
    }
    const counts = await this.tickets.counts(personId, 'correction', now.getTime() - 86_400_000);
    if (counts.open >= OPEN_MAX || counts.since >= PER_DAY_MAX)
      throw new AppError('YMT_ERR_TOO_MANY_CORRECTIONS');
    const correction = await this.tickets.open<CorrectionDetails>(
      this.db,
      {
        kind: 'correction',
        personId,
        province: routed.owner.kind === 'operators' ? '' : (ownerProvince(routed.owner) ?? ''),
        region: '',
        details: {
          evidence: { source: e.source, batchId: e.batchId, record: e.record },
          kind: input.kind,
          text,
        },
      },
      routed.owner,
      key,
      now,
    );
    return { correction, merged: false };
  }

  list(personId: string): Promise<Correction[]> {
    return this.tickets.ofPerson<CorrectionDetails>(personId, 'correction');
  }

  /** The holder's own correction with its history. */
  async ofHolder(personId: string, id: string) {
    const correction = await this.tickets.ofHolder<CorrectionDetails>(personId, id, 'correction');
    return this.withHistory(correction);
  }

  /** The holder reopens a rejected or closed correction once, with new information. */
  async reopen(personId: string, id: string, text: string, now: Date): Promise<Correction> {
    const info = requiredText('text', text, TEXT_MAX);
    const c = await this.tickets.ofHolder<CorrectionDetails>(personId, id, 'correction');
    return this.tickets.move(c, 'reopen', 'holder', info, now);
  }

  /** The holder attaches a file (while the correction is open); refused by content, size and count. */
  async attach(personId: string, id: string, bytes: Uint8Array, now: Date): Promise<AttachmentInfo> {
    const c = await this.tickets.ofHolder<CorrectionDetails>(personId, id, 'correction');
    if (bytes.length > ATTACHMENT_MAX_BYTES) throw new AppError('YMT_ERR_ATTACHMENT_TOO_LARGE');
    const type: AttachmentType | undefined = sniff(bytes);
    if (type === undefined) throw new AppError('YMT_ERR_ATTACHMENT_TYPE');
    if (c.state !== 'routed' && c.state !== 'in_review' && c.state !== 'submitted')
      throw new AppError('YMT_ERR_CORRECTION_STATE');
    return inTransaction(this.db, async (trx) => {
      if ((await this.attachments.list(trx, c.ticketId)).length >= ATTACHMENTS_MAX)
        throw new AppError('YMT_ERR_TOO_MANY_ATTACHMENTS');
      return this.attachments.add(trx, c.ticketId, type, bytes, now.getTime());
    });
  }

  /** An attachment, for the holder or the correction's owner. */
  async attachment(who: { personId: string } | { actor: Actor }, id: string, n: number, now: Date) {
    const c =
      'personId' in who
        ? await this.tickets.ofHolder<CorrectionDetails>(who.personId, id, 'correction')
        : await this.tickets.get<CorrectionDetails>(who.actor, id, 'correction');
    const a = await this.attachments.get(this.db, c.ticketId, n);
    if (!a) throw new AppError('YMT_ERR_NOT_FOUND');
    if ('actor' in who) await this.seenByOwner(this.db, who.actor, c, 'correction.attachment', now);
    return a;
  }

  /**
   * The corrections an owner answers (operators: all), by state, or only the escalated ones; holders masked. A list
   * looks no one up, so it is in no holder's access history; the audit log has who listed how many, before the
   * answer (docs/family.md#access-history).
   */
  async queue(
    actor: Actor,
    filter: { states?: readonly Correction['state'][]; escalated?: boolean },
    now: Date,
  ): Promise<Correction[]> {
    const list = await this.tickets.queue<CorrectionDetails>(actor, { kind: 'correction', ...filter });
    await recordAct(this.db, actor, now, {
      action: 'correction.list',
      detail: { ...filter, corrections: list.length },
    });
    return list;
  }

  async ofOwner(actor: Actor, id: string, now: Date) {
    const c = await this.tickets.get<CorrectionDetails>(actor, id, 'correction');
    await this.seenByOwner(this.db, actor, c, 'correction.read', now);
    return this.withHistory(c);
  }

  /** The owner takes a correction in review (its first answer). */
  async review(actor: Actor, id: string, now: Date): Promise<Correction> {
    return this.tickets.review<CorrectionDetails>(actor, id, 'correction', now);
  }

  /**
   * The owner decides. Rejecting needs an answer, which the holder reads. Accepting corrects the record first —
   * retracted, or amended with `record` — through its owner's own path; only then is the ticket accepted, so a
   * correction that fails (an amendment that does not meet the feed's contract) leaves it in review.
   */
  async decide(actor: Actor, id: string, d: Decision, now: Date): Promise<Correction> {
    let c = await this.tickets.get<CorrectionDetails>(actor, id, 'correction');
    if (d.decision === 'reject') {
      const answer = requiredText('answer', d.answer ?? '', ANSWER_MAX);
      return this.tickets.move(c, 'reject', actor, answer, now, { answer });
    }
    const answer =
      d.answer === undefined || d.answer.trim() === ''
        ? '已核实并更正'
        : requiredText('answer', d.answer, ANSWER_MAX);
    if (c.state === 'routed' || c.state === 'submitted')
      c = await this.tickets.move(c, 'review', actor, null, now);
    else if (c.state !== 'in_review') throw new AppError('YMT_ERR_CORRECTION_STATE');
    const owner = parseOwnerId(c.owner);
    if (!owner) throw new AppError('YMT_ERR_CORRECTION_STATE');
    await this.effects.apply(actor, c, owner, d, now);
    return this.tickets.move(c, 'accept', actor, answer, now, { answer });
  }

  /** The holder's name, for an owner's (masked) view. */
  async holderName(personId: string): Promise<string> {
    return (await this.persons.get(this.db, personId))?.name ?? '';
  }

  oversight(actor: Actor, now: Date): Promise<OwnerFigures[]> {
    return this.tickets.oversight(actor, 'correction', now);
  }

  private async withHistory(correction: Correction) {
    const [history, attachments, corrected] = await Promise.all([
      this.tickets.history(correction.ticketId),
      this.attachments.list(this.db, correction.ticketId),
      this.effects.recorded(correction.ticketId),
    ]);
    return { correction, history, attachments, corrected };
  }
}

function ownerProvince(o: Owner): string | null {
  return o.kind === 'province' ? o.province : o.kind === 'department' ? o.province : null;
}
