/**
 * The operations console's sections (docs/api.md#operations-console) and which roles open each. Inside a section,
 * what is an actor's own part is decided by the services, with src/access/actor.ts. Pure.
 */
import type { Actor, Role } from '../access/actor.ts';

export const CONSOLE_SECTIONS = [
  'area-risk',
  'status-entries',
  'rule-sets',
  'provinces',
  'trust-list',
  'reports',
  'corrections',
  'batches',
  'capacity',
] as const;
export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number];

/** Who is signed in to the console: an Actor with the account (or department) it signed in as. */
export type ConsoleUser = Actor;

export const SECTIONS_OF: Readonly<Record<Role, readonly ConsoleSection[]>> = {
  operator: CONSOLE_SECTIONS,
  province: ['rule-sets', 'provinces', 'reports', 'corrections', 'batches'],
  department: ['corrections', 'batches'],
};

export function maySee(user: ConsoleUser, section: ConsoleSection): boolean {
  return SECTIONS_OF[user.role].includes(section);
}
