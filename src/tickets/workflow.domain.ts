/**
 * The ticket workflow's pure part (docs/corrections.md#states), shared by corrections (我要纠错) and non-recognition
 * reports: the states a ticket goes through and the moves between them, who owns a ticket and may move it, the
 * deadline of each stage, and what the holder is told. No I/O; times come in as parameters.
 */
import type { Actor } from '../access/actor.ts';
import { isFeedSource, type FeedSource } from '../feeds/feed-records.domain.ts';

export const STATES = ['submitted', 'routed', 'in_review', 'accepted', 'rejected', 'closed'] as const;
export type State = (typeof STATES)[number];

/** States in which the owner still has to act. */
export const OPEN_STATES: readonly State[] = ['submitted', 'routed', 'in_review'];
/** States of a decided ticket. */
export const DECIDED_STATES: readonly State[] = ['accepted', 'rejected', 'closed'];

/** Who answers a ticket. */
export type Owner =
  | { readonly kind: 'department'; readonly source: FeedSource; readonly province: string | null }
  | { readonly kind: 'province'; readonly province: string }
  | { readonly kind: 'operators' };

/** The owner as one string (stored, and the key of the oversight figures). */
export function ownerId(o: Owner): string {
  switch (o.kind) {
    case 'department':
      return o.province === null ? `department:${o.source}` : `department:${o.source}:${o.province}`;
    case 'province':
      return `province:${o.province}`;
    case 'operators':
      return 'operators';
  }
}

export function parseOwnerId(id: string): Owner | undefined {
  const [kind, a, b] = id.split(':');
  if (kind === 'operators' && a === undefined) return { kind: 'operators' };
  if (kind === 'province' && a !== undefined && /^\d{6}$/.test(a) && b === undefined)
    return { kind: 'province', province: a };
  if (kind === 'department' && a !== undefined && isFeedSource(a) && (b === undefined || /^\d{6}$/.test(b)))
    return { kind: 'department', source: a, province: b ?? null };
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Who may move a ticket, and the deadlines.

/** Whether an actor owns (may see and decide) a ticket of this owner. Operators see every ticket. */
export function owns(actor: Actor, owner: Owner): boolean {
  switch (actor.role) {
    case 'operator':
      return true;
    case 'province':
      return owner.kind === 'province' && owner.province === actor.province;
    case 'department':
      return (
        owner.kind === 'department' && owner.source === actor.source && owner.province === actor.province
      );
  }
}

export interface Deadlines {
  /** From routing to the owner's first answer (taking it in review, or deciding). */
  readonly answerMs: number;
  /** From in review to the decision. */
  readonly decisionMs: number;
  /** A decided ticket closes by itself after this (the holder may reopen it once until then, or after). */
  readonly closeAfterMs: number;
}

/** When the ticket's current stage is due; null for a state with no deadline. */
export function dueAt(state: State, enteredAt: number, d: Deadlines): number | null {
  switch (state) {
    case 'submitted':
    case 'routed':
      return enteredAt + d.answerMs;
    case 'in_review':
      return enteredAt + d.decisionMs;
    case 'accepted':
    case 'rejected':
      return enteredAt + d.closeAfterMs;
    case 'closed':
      return null;
  }
}

/** The transitions an actor may make; anything else is YMT_ERR_CORRECTION_STATE. */
export type Move = 'review' | 'accept' | 'reject' | 'reopen' | 'close';

export function allowed(move: Move, from: State, reopenCount: number): boolean {
  switch (move) {
    case 'review':
      return from === 'routed' || from === 'submitted';
    case 'accept':
    case 'reject':
      return OPEN_STATES.includes(from);
    case 'reopen':
      return (from === 'rejected' || from === 'closed') && reopenCount < 1;
    case 'close':
      return from === 'accepted' || from === 'rejected';
  }
}

export function stateAfter(move: Move): State {
  switch (move) {
    case 'review':
      return 'in_review';
    case 'accept':
      return 'accepted';
    case 'reject':
      return 'rejected';
    case 'reopen':
      return 'routed';
    case 'close':
      return 'closed';
  }
}

/** What the holder is told when their ticket enters a state (the notification and the app). */
export const STATE_TEXT: Record<State, { zh: string; en: string }> = {
  submitted: { zh: '纠错申请已提交', en: 'Your correction was submitted' },
  routed: { zh: '纠错申请已转交数据责任部门处理', en: 'Your correction went to the owner of the data' },
  in_review: { zh: '数据责任部门正在核实', en: 'The owner of the data is reviewing it' },
  accepted: {
    zh: '纠错申请已受理，数据已更正，健康码已按更正后的信息重新计算',
    en: 'Your correction was accepted: the data is corrected and your code recomputed',
  },
  rejected: { zh: '纠错申请未通过，请查看答复', en: 'Your correction was not accepted: see the answer' },
  closed: { zh: '纠错申请已办结', en: 'Your correction is closed' },
};

/** The median of a list of durations (null when empty). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
