/**
 * Who sees what in the operations console (docs/api.md#operations-console): the three roles, the sections each
 * may open, and, inside a section, the part that is theirs. Pure.
 *
 * - `operator` (national operations staff): every section, everything in it.
 * - `province` (a provincial authority): its own province's batches and their quarantine, its own reports, its
 *   own enrolment and keys, its own and the national acceptance rule sets; it publishes only its own.
 * - `department` (a feed department, with its feed credential): its own source's batches (and only its own
 *   province's when it sends for one) and their quarantine.
 */
import type { FeedSource } from '../feeds/feed-records.domain.ts';

export const CONSOLE_SECTIONS = [
  'area-risk',
  'rule-sets',
  'provinces',
  'trust-list',
  'reports',
  'batches',
  'capacity',
] as const;
export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number];

export type ConsoleUser =
  | { readonly role: 'operator'; readonly name: string; readonly accountId: string }
  | {
      readonly role: 'province';
      readonly name: string;
      readonly accountId: string;
      readonly province: string;
    }
  | {
      readonly role: 'department';
      readonly name: string;
      readonly departmentId: string;
      readonly source: FeedSource;
      readonly province: string | null;
    };

export type ConsoleRole = ConsoleUser['role'];

export const SECTIONS_OF: Readonly<Record<ConsoleRole, readonly ConsoleSection[]>> = {
  operator: CONSOLE_SECTIONS,
  province: ['rule-sets', 'provinces', 'reports', 'batches'],
  department: ['batches'],
};

export function maySee(user: ConsoleUser, section: ConsoleSection): boolean {
  return SECTIONS_OF[user.role].includes(section);
}

/** The batches a user may list: a filter, or `forbidden` when the source asked for is not theirs. */
export function batchScope(
  user: ConsoleUser,
  source: FeedSource | undefined,
): { source?: FeedSource; province?: string } | 'forbidden' {
  switch (user.role) {
    case 'operator':
      return source === undefined ? {} : { source };
    case 'province':
      return { ...(source === undefined ? {} : { source }), province: user.province };
    case 'department':
      if (source !== undefined && source !== user.source) return 'forbidden';
      return { source: user.source, ...(user.province === null ? {} : { province: user.province }) };
  }
}

/** Whether a user sees one batch (and its quarantine). */
export function seesBatch(user: ConsoleUser, batch: { source: string; province: string | null }): boolean {
  switch (user.role) {
    case 'operator':
      return true;
    case 'province':
      return batch.province === user.province;
    case 'department':
      return batch.source === user.source && (user.province === null || batch.province === user.province);
  }
}

/** Provincial units a user sees, non-recognition reports included: all, or only its own. */
export function seesProvince(user: ConsoleUser, code: string): boolean {
  return user.role === 'operator' || (user.role === 'province' && user.province === code);
}

/** Acceptance rule sets a user sees (`province` null: the national ones). */
export function seesRuleSet(user: ConsoleUser, province: string | null): boolean {
  return (
    user.role === 'operator' ||
    (user.role === 'province' && (province === null || province === user.province))
  );
}

/** Acceptance rule sets a user may publish: an operator any, a province only its own. */
export function mayPublishRuleSet(user: ConsoleUser, province: string | null): boolean {
  return user.role === 'operator' || (user.role === 'province' && province === user.province);
}
