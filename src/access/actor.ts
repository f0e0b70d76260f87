/**
 * Who acts, whatever the entry point: an operator (national operations staff, at the console or the command
 * line), a provincial authority (a console account of one province, or that province's node calling the province
 * API), or a feed department. The services that several entry points share take an Actor and decide with the
 * predicates below, so the same request gets the same answer from each. Pure.
 *
 * - `operator`: everything.
 * - `province`: its own province's batches, reports, enrolment, keys and acceptance rule sets, and the national
 *   acceptance rule sets (which it may read, not publish).
 * - `department`: its own source's batches (only its own province's when it sends for one).
 */
import type { FeedSource } from '../feeds/feed-records.domain.ts';

export type Actor =
  | { readonly role: 'operator'; readonly name: string; readonly accountId?: string }
  | {
      readonly role: 'province';
      readonly name: string;
      readonly province: string;
      readonly accountId?: string;
    }
  | {
      readonly role: 'department';
      readonly name: string;
      readonly departmentId: string;
      readonly source: FeedSource;
      readonly province: string | null;
    };

export type Role = Actor['role'];

/**
 * Who an actor is in a person's access history (docs/family.md#access-history): the province for a provincial
 * authority (its account is not named to the holder), the account or name of an operator, the department.
 */
export function accessActor(actor: Actor): {
  readonly actorKind: 'operator' | 'province' | 'department';
  readonly actorRef: string;
} {
  switch (actor.role) {
    case 'operator':
      return { actorKind: 'operator', actorRef: actor.accountId ?? actor.name };
    case 'province':
      return { actorKind: 'province', actorRef: actor.province };
    case 'department':
      return { actorKind: 'department', actorRef: actor.departmentId };
  }
}

/** A province's node calling the province API acts as that province's authority. */
export function provinceNodeActor(code: string): Actor {
  return { role: 'province', name: `province node ${code}`, province: code };
}

/** The command line acts as an operator (whoever may run it on the hub's machine is one). */
export function commandLineActor(user: string): Actor {
  return { role: 'operator', name: `command line (${user})` };
}

/** The batches an actor may list: a filter, or `forbidden` when the source asked for is not theirs. */
export function batchScope(
  actor: Actor,
  source: FeedSource | undefined,
): { source?: FeedSource; province?: string } | 'forbidden' {
  switch (actor.role) {
    case 'operator':
      return source === undefined ? {} : { source };
    case 'province':
      return { ...(source === undefined ? {} : { source }), province: actor.province };
    case 'department':
      if (source !== undefined && source !== actor.source) return 'forbidden';
      return { source: actor.source, ...(actor.province === null ? {} : { province: actor.province }) };
  }
}

/** Whether an actor sees one batch (and its quarantine). */
export function seesBatch(actor: Actor, batch: { source: string; province: string | null }): boolean {
  switch (actor.role) {
    case 'operator':
      return true;
    case 'province':
      return batch.province === actor.province;
    case 'department':
      return batch.source === actor.source && (actor.province === null || batch.province === actor.province);
  }
}

/** Provincial units an actor sees, with their keys and tickets: all, or only its own. */
export function seesProvince(actor: Actor, code: string): boolean {
  return actor.role === 'operator' || (actor.role === 'province' && actor.province === code);
}

/** Acceptance rule sets an actor sees (`province` null: the national ones). */
export function seesRuleSet(actor: Actor, province: string | null): boolean {
  return (
    actor.role === 'operator' ||
    (actor.role === 'province' && (province === null || province === actor.province))
  );
}

/** Acceptance rule sets an actor may publish: an operator any, a province only its own. */
export function mayPublishRuleSet(actor: Actor, province: string | null): boolean {
  return actor.role === 'operator' || (actor.role === 'province' && province === actor.province);
}
