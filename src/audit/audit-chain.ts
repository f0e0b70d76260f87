/**
 * The audit log's hash chain (docs/security.md#audit-log). Each entry's hash is SHA-256 over the previous entry's
 * hash and the entry's canonical JSON (RFC 8785), so changing, removing, adding or moving any entry breaks every
 * link after it; a signed anchor of the head (`yimatong audit anchor`), kept elsewhere, catches a chain rewritten
 * whole from some point on. No I/O; SHA-256 comes from node:crypto, so this is the hub's alone (no browser checks
 * the chain).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../codec/canonical-json.ts';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry says: who did what, to what or whom, when. */
export interface AuditFacts {
  readonly at: number;
  readonly actorKind: string;
  readonly actorRef: string;
  readonly action: string;
  readonly subject: string | null;
  /** JSON text, or null; never personal data in clear. */
  readonly detail: string | null;
}

/** Who acted, as an entry names them. */
export type AuditActor = Pick<AuditFacts, 'actorKind' | 'actorRef'>;

export interface AuditEntry extends AuditFacts {
  readonly seq: number;
}

export interface StoredAuditEntry extends AuditEntry {
  readonly prevHash: string;
  readonly hash: string;
}

/** The hash of `entry` chained after `prevHash`. */
export function entryHash(prevHash: string, entry: AuditEntry): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    actorKind: entry.actorKind,
    actorRef: entry.actorRef,
    action: entry.action,
    subject: entry.subject,
    detail: entry.detail,
  });
  return createHash('sha256').update(prevHash, 'utf8').update('\n').update(body, 'utf8').digest('hex');
}

/** Why an entry is the first bad one. */
export type ChainProblem =
  /** An entry is missing: the next one kept has a later number. */
  | 'missing'
  /** The entry's content no longer gives its hash. */
  | 'edited'
  /**
   * The entry does not follow the one before it: an entry was inserted, removed or moved just before it, or the
   * one before was changed and its hash computed again.
   */
  | 'relinked'
  /** Entries after the last one kept were removed (the head names a later one), or the head was changed. */
  | 'truncated';

export const CHAIN_PROBLEMS: Readonly<Record<ChainProblem, { text: string; textEn: string }>> = {
  missing: { text: '该序号的记录缺失（被删除）', textEn: 'the entry with this number is missing (deleted)' },
  edited: { text: '该记录的内容被修改', textEn: 'the content of this entry was changed' },
  relinked: {
    text: '该记录与前一条记录不相接（其前有记录被插入、删除、调换，或前一条被修改后重算了散列）',
    textEn:
      'this entry does not follow the one before it (an entry was inserted, deleted or moved before it, or the one before was changed and its hash recomputed)',
  },
  truncated: {
    text: '链尾的记录缺失，或链头被修改',
    textEn: 'entries at the end are missing, or the head was changed',
  },
};

export interface ChainBreak {
  readonly seq: number;
  readonly problem: ChainProblem;
}

/**
 * Walks the chain in order, one entry at a time (a check reads the log page by page): `next` answers the first
 * problem, and the walk should stop there; `end` compares the last entry with the head.
 */
export class ChainWalker {
  private expectedSeq: number;
  private prevHash: string;
  count = 0;

  constructor(base: { readonly seq: number; readonly hash: string }) {
    this.expectedSeq = base.seq + 1;
    this.prevHash = base.hash;
  }

  next(e: StoredAuditEntry): ChainBreak | undefined {
    if (e.seq !== this.expectedSeq) return { seq: this.expectedSeq, problem: 'missing' };
    if (e.prevHash !== this.prevHash) return { seq: e.seq, problem: 'relinked' };
    if (entryHash(e.prevHash, e) !== e.hash) return { seq: e.seq, problem: 'edited' };
    this.expectedSeq = e.seq + 1;
    this.prevHash = e.hash;
    this.count += 1;
    return undefined;
  }

  /** After the last entry: the head must name it. */
  end(head: { readonly seq: number; readonly hash: string }): ChainBreak | undefined {
    if (head.seq !== this.expectedSeq - 1 || head.hash !== this.prevHash)
      return { seq: this.expectedSeq, problem: 'truncated' };
    return undefined;
  }

  /** The last entry checked (or the base). */
  get last(): { seq: number; hash: string } {
    return { seq: this.expectedSeq - 1, hash: this.prevHash };
  }
}

/** Checks a whole chain held in memory (tests, small logs). */
export function checkChain(
  base: { readonly seq: number; readonly hash: string },
  entries: readonly StoredAuditEntry[],
  head: { readonly seq: number; readonly hash: string },
): ChainBreak | undefined {
  const walker = new ChainWalker(base);
  for (const e of entries) {
    const bad = walker.next(e);
    if (bad) return bad;
  }
  return walker.end(head);
}

/** What an anchor signs: the chain's head at a moment. */
export interface AnchorStatement {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  readonly issuer: string;
}

/** The bytes an anchor's signature covers. */
export function anchorBytes(s: AnchorStatement): Uint8Array {
  return new TextEncoder().encode(
    canonicalJson({ type: 'yimatong-audit-anchor', seq: s.seq, hash: s.hash, at: s.at, issuer: s.issuer }),
  );
}
