/** What the corrections section's files share: the states and kinds named for people, owners' names, durations. */
import type {
  OversightAnswer,
  OwnerCorrectionAnswer,
} from '../../../src/corrections/owner-corrections.routes.ts';
import type { Lang } from '../../shared/i18n.ts';
import type { T } from '../section.ts';
import type { Key } from '../strings.ts';

export type State = OwnerCorrectionAnswer['state'];
export type Figures = OversightAnswer['owners'][number];

export const BASE = '/api/v1/console/corrections';
/** The longest answer the hub takes (ANSWER_MAX in src/tickets/tickets.service.ts, server code). */
export const ANSWER_MAX = 2000;

export const STATE_KEY: Record<State, Key> = {
  submitted: 'stateSubmitted',
  routed: 'stateRouted',
  in_review: 'stateInReview',
  accepted: 'stateAccepted',
  rejected: 'stateRejected',
  closed: 'stateClosed',
};
export const STATES = Object.keys(STATE_KEY) as State[];
export const OPEN: readonly State[] = ['submitted', 'routed', 'in_review'];

export const KIND_KEY: Record<OwnerCorrectionAnswer['kind'], Key> = {
  not_me: 'kindNotMe',
  wrong_data: 'kindWrongData',
  out_of_date: 'kindOutOfDate',
  other: 'kindOther',
};

export type Attention = 'all' | 'overdue' | 'escalated';

export const ownerName = (lang: Lang, o: { name: string; nameEn: string }) =>
  lang === 'zh' ? o.name : o.nameEn;

/** A duration for people: seconds, minutes, hours or days, whichever reads best. */
export function duration(t: T, seconds: number | null): string {
  if (seconds === null) return t('noFigure');
  if (seconds < 60) return t('seconds', { n: Math.round(seconds) });
  if (seconds < 3600) return t('minutes', { n: Math.round(seconds / 60) });
  if (seconds < 2 * 86400) return t('hours', { n: Math.round((seconds / 3600) * 10) / 10 });
  return t('days', { n: Math.round((seconds / 86400) * 10) / 10 });
}

export function size(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${Math.round(bytes / 1024)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
