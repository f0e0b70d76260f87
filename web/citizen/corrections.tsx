/**
 * 我要纠错 (docs/corrections.md): beside a record the health screen shows, the holder disputes it — what is wrong,
 * why, and documents if they have them — and learns who deals with it and by when; "my corrections" lists every
 * ticket with its state, answer and history, and reopens a rejected or closed one once. The hub's, not a node's.
 */
import type { HolderCorrection } from '../../src/corrections/corrections.views.ts';
import routing from '../../src/corrections/routing.json' with { type: 'json' };
import { type T } from './context.ts';

export type Evidence = HolderCorrection['evidence'];
export type Kind = HolderCorrection['kind'];
export type State = HolderCorrection['state'];

/** The hub's longest explanation (corrections.service.ts, TEXT_MAX). */
export const TEXT_MAX = 1000;

export interface Created {
  readonly id: string;
  readonly state: string;
  readonly owner: HolderCorrection['owner'];
  readonly dueAt: string | null;
  readonly merged: boolean;
}

export const KINDS: readonly [Kind, Parameters<T>[0]][] = [
  ['not_me', 'kindNotMe'],
  ['wrong_data', 'kindWrongData'],
  ['out_of_date', 'kindOutOfDate'],
  ['other', 'kindOther'],
];

export const STATES: Readonly<Record<State, Parameters<T>[0]>> = {
  submitted: 'stateSubmitted',
  routed: 'stateRouted',
  in_review: 'stateInReview',
  accepted: 'stateAccepted',
  rejected: 'stateRejected',
  closed: 'stateClosed',
};

export const OPEN: readonly State[] = ['submitted', 'routed', 'in_review'];

export const SOURCES: Readonly<Record<string, Parameters<T>[0]>> = {
  health: 'sourceHealth',
  railway: 'sourceRailway',
  aviation: 'sourceAviation',
  immigration: 'sourceImmigration',
  telecom: 'sourceTelecom',
  'area-risk': 'sourceAreaRisk',
};

/** Whether the hub takes a dispute of this record (not the holder's own declaration, nor "no abnormality"). */
export function disputable(e: Evidence): boolean {
  return !routing.notDisputable.includes(e.source);
}

export function stateWord(t: T, state: State): string {
  return t(STATES[state]);
}

export function kindWord(t: T, kind: Kind): string {
  return t(KINDS.find(([k]) => k === kind)?.[1] ?? 'kindOther');
}

/** The disputed record in words: its kind of source, its batch and line. */
export function recordWords(t: T, e: Evidence): string {
  const key = SOURCES[e.source];
  return t('disputedRecord', {
    source: key ? t(key) : t('sourceOther', { source: e.source }),
    batch: e.batchId,
    record: e.record,
  });
}
