/**
 * 我要纠错 (MISSION.md Q2.8, Q5; docs/corrections.md): what a holder may dispute and how, and the owner a disputed
 * record is routed to — the routing rules are data (routing.json). The states and deadlines are the ticket
 * workflow's (src/tickets/workflow.domain.ts). Pure.
 */
import { isFeedSource } from '../feeds/feed-records.domain.ts';
import type { Owner } from '../tickets/workflow.domain.ts';
import routingDocument from './routing.json' with { type: 'json' };

export const KINDS = ['not_me', 'wrong_data', 'out_of_date', 'other'] as const;
export type CorrectionKind = (typeof KINDS)[number];

export function isKind(s: string): s is CorrectionKind {
  return (KINDS as readonly string[]).includes(s);
}

/** The record a holder disputes, as every reason and sub-route names it. */
export interface EvidenceRef {
  readonly source: string;
  readonly batchId: string;
  readonly record: number;
}

/** One key per record: the same record disputed twice is one ticket. */
export function evidenceKey(e: EvidenceRef): string {
  return `${e.source}|${e.batchId}|${String(e.record)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Routing: which owner a record goes to. The rules are data (routing.json), first match wins.

export interface RoutingRule {
  /** The evidence source, exactly (`railway`), or a prefix ending in `:` (`province:`). */
  readonly source: string;
  /** Only batches whose id starts with this (`console-`: entered at the console). */
  readonly batchPrefix?: string;
  readonly owner: 'department' | 'province' | 'operators';
}

export interface Routing {
  readonly rules: readonly RoutingRule[];
  /** Sources a holder cannot dispute (their own declaration; the hub's "no abnormality"). */
  readonly notDisputable: readonly string[];
}

/** What the router knows of the record's batch: the province a department sent it for (null: national). */
export interface BatchInfo {
  readonly province: string | null;
}

export type Route =
  | { readonly ok: true; readonly owner: Owner; readonly rule: number }
  | { readonly ok: false; readonly reason: 'not_disputable' };

/** The owner of a disputed record; what no rule routes goes to the national operators. */
export function route(routing: Routing, e: EvidenceRef, batch: BatchInfo | undefined): Route {
  if (routing.notDisputable.includes(e.source)) return { ok: false, reason: 'not_disputable' };
  for (const [i, r] of routing.rules.entries()) {
    const sourceMatches = r.source.endsWith(':') ? e.source.startsWith(r.source) : e.source === r.source;
    if (!sourceMatches || (r.batchPrefix !== undefined && !e.batchId.startsWith(r.batchPrefix))) continue;
    if (r.owner === 'operators') return { ok: true, owner: { kind: 'operators' }, rule: i };
    if (r.owner === 'province') {
      const code = e.source.slice(r.source.length);
      if (/^\d{6}$/.test(code)) return { ok: true, owner: { kind: 'province', province: code }, rule: i };
      continue;
    }
    if (isFeedSource(e.source))
      return {
        ok: true,
        owner: { kind: 'department', source: e.source, province: batch?.province ?? null },
        rule: i,
      };
  }
  return { ok: true, owner: { kind: 'operators' }, rule: -1 };
}

/** The shipped routing rules, validated: a broken file stops the hub at start, with the path at fault. */
export function loadRouting(doc: unknown): Routing {
  const problems: string[] = [];
  const d = doc as { rules?: unknown; notDisputable?: unknown };
  const rules: RoutingRule[] = [];
  if (!Array.isArray(d.rules) || d.rules.length === 0) problems.push('rules: a non-empty array');
  else
    for (const [i, raw] of (d.rules as unknown[]).entries()) {
      const r = raw as Partial<RoutingRule>;
      if (typeof r.source !== 'string' || r.source === '') problems.push(`rules[${String(i)}].source`);
      if (r.batchPrefix !== undefined && typeof r.batchPrefix !== 'string')
        problems.push(`rules[${String(i)}].batchPrefix`);
      if (r.owner !== 'department' && r.owner !== 'province' && r.owner !== 'operators')
        problems.push(`rules[${String(i)}].owner: department, province or operators`);
      if (problems.length === 0) rules.push(r as RoutingRule);
    }
  const nd = d.notDisputable;
  if (!Array.isArray(nd) || !nd.every((s) => typeof s === 'string')) problems.push('notDisputable: strings');
  if (problems.length > 0) throw new TypeError(`corrections routing: ${problems.join('; ')}`);
  return { rules, notDisputable: nd as string[] };
}

export const SHIPPED_ROUTING: Routing = loadRouting(routingDocument);
