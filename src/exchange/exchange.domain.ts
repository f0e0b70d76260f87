/**
 * The status exchange's pure part (docs/federation.md#status-exchange): what is sent about a holder, and when two
 * statuses are the same news. Pure.
 */
import type { Colour } from '../codec/token.ts';
import type { CaseStatusAnswer } from '../status/case-status.domain.ts';
import type { StatusReason } from '../status/status.domain.ts';

/**
 * A holder's status as one side sends it to the other: the colour and every reason with its evidence; from the hub,
 * also the case status those reasons carry (a node holds no record of its own behind them).
 */
export interface ExchangedStatus {
  readonly colour: Colour;
  readonly reasons: readonly StatusReason[];
  readonly caseStatus?: CaseStatusAnswer | undefined;
}

/** The peer a node exchanges with. Provinces are named by their code. */
export const HUB_PEER = 'hub';

/**
 * What makes two statuses different news: the colour, each reason's code, colour and evidence record, and the case
 * status with its record.
 */
export function signature(s: ExchangedStatus): string {
  const c = s.caseStatus;
  return JSON.stringify([
    s.colour,
    s.reasons.map((r) => [r.code, r.colour, r.evidence.source, r.evidence.batchId, r.evidence.record]),
    c ? [c.status, c.at ?? null, c.evidence?.source ?? null, c.evidence?.batchId ?? null] : null,
  ]);
}

/** Most bytes a sender puts in one exchange request; the receiving routes accept up to EXCHANGE_BODY_LIMIT. */
export const EXCHANGE_MAX_BYTES = 256 * 1024;
export const EXCHANGE_BODY_LIMIT = 1024 * 1024;

const utf8 = new TextEncoder();

/**
 * The rows of one request: the longest prefix of `rows` whose deltas (`toDelta`; undefined: nothing to send for that
 * row) fit in a `{"deltas":[…]}` body of at most `maxBytes` — always at least one row, so a batch never stalls.
 * `covered` is how many rows, from the first, the request accounts for.
 */
export function fitBatch<R, D>(
  rows: readonly R[],
  toDelta: (row: R) => D | undefined,
  maxBytes = EXCHANGE_MAX_BYTES,
): { deltas: D[]; covered: number } {
  const deltas: D[] = [];
  let size = utf8.encode('{"deltas":[]}').length;
  let covered = 0;
  for (const row of rows) {
    const d = toDelta(row);
    if (d !== undefined) {
      const bytes = utf8.encode(JSON.stringify(d)).length + (deltas.length > 0 ? 1 : 0);
      if (covered > 0 && size + bytes > maxBytes) break;
      size += bytes;
      deltas.push(d);
    }
    covered++;
  }
  return { deltas, covered };
}
