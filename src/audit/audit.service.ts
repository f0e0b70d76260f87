/**
 * The audit log (docs/security.md#audit-log): recording an entry in the act's transaction, checking the whole
 * chain page by page, and anchoring its head — signed with the hub's trust anchor, the key verifiers already
 * trust — for keeping elsewhere.
 */
import type { Db } from '../db/database.ts';
import { base64urlDecode, base64urlEncode } from '../codec/base64url.ts';
import type { SigningAlgorithm } from '../codec/cose.ts';
import type { SigningPublicJwk } from '../codec/crypto-provider.ts';
import { nodeCryptoProvider } from '../signing/node-crypto.ts';
import {
  CHAIN_PROBLEMS,
  ChainWalker,
  anchorBytes,
  type AuditFacts,
  type ChainBreak,
  type StoredAuditEntry,
} from './audit-chain.ts';
import type { AuditLogRepository } from './audit-log.repository.ts';

/** A signed statement of the chain's head, for keeping outside the hub. */
export interface AuditAnchor {
  readonly type: 'yimatong-audit-anchor';
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  readonly issuer: string;
  /** The trust anchor's algorithm: ES256, or SM2 on a hub that chose national cryptography. */
  readonly alg: SigningAlgorithm;
  readonly kid: string;
  /** base64url of the raw r‖s signature over the canonical statement. */
  readonly signature: string;
}

export interface ChainReport {
  readonly ok: boolean;
  /** Entries checked. */
  readonly checked: number;
  /** Where the check started: after the last entry retention removed. */
  readonly base: { readonly seq: number; readonly hash: string };
  readonly head: { readonly seq: number; readonly hash: string };
  readonly firstBad?: ChainBreak & { readonly text: string; readonly textEn: string };
  /** With an anchor: whether the chain still holds the anchored entry, signed by this hub. */
  readonly anchor?: { readonly ok: boolean; readonly seq: number; readonly reason?: string };
}

export interface AnchorKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly publicJwk: SigningPublicJwk;
  readonly sign: (data: Uint8Array) => Uint8Array;
}

const PAGE = 5000;

export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly log: AuditLogRepository,
    private readonly anchorKey: (now: Date) => AnchorKey,
    private readonly issuer: string,
  ) {}

  /** Chains an entry, in `db`'s transaction when it is one: the entry and the act commit together. */
  record(db: Db, facts: AuditFacts): Promise<StoredAuditEntry> {
    return this.log.append(db, facts);
  }

  /** Checks every entry after the base, in order; `progress(checked, total)` after each page. */
  async verify(
    anchor?: AuditAnchor,
    now = new Date(),
    progress?: (checked: number, total: number) => void,
  ): Promise<ChainReport> {
    const head = await this.log.head(this.db);
    const base = { seq: head.baseSeq, hash: head.baseHash };
    const walker = new ChainWalker(base);
    const total = head.seq - head.baseSeq;
    let firstBad: ChainBreak | undefined;
    for (let after = base.seq; firstBad === undefined;) {
      const page = await this.log.page(this.db, after, PAGE);
      for (const e of page) {
        firstBad = walker.next(e);
        if (firstBad) break;
      }
      progress?.(walker.count, total);
      const last = page.at(-1);
      if (!last || firstBad) break;
      after = last.seq;
    }
    firstBad ??= walker.end(head);
    const anchorCheck = anchor === undefined ? undefined : await this.checkAnchor(anchor, head.baseSeq, now);
    return {
      ok: firstBad === undefined && (anchorCheck?.ok ?? true),
      checked: walker.count,
      base,
      head: { seq: head.seq, hash: head.hash },
      ...(firstBad ? { firstBad: { ...firstBad, ...CHAIN_PROBLEMS[firstBad.problem] } } : {}),
      ...(anchorCheck ? { anchor: anchorCheck } : {}),
    };
  }

  /** The chain's head now, signed. */
  async anchor(now: Date): Promise<AuditAnchor> {
    const head = await this.log.head(this.db);
    const key = this.anchorKey(now);
    const statement = { seq: head.seq, hash: head.hash, at: now.toISOString(), issuer: this.issuer };
    return {
      type: 'yimatong-audit-anchor',
      ...statement,
      alg: key.alg,
      kid: key.kid,
      signature: base64urlEncode(key.sign(anchorBytes(statement))),
    };
  }

  private async checkAnchor(
    a: AuditAnchor,
    baseSeq: number,
    now: Date,
  ): Promise<{ ok: boolean; seq: number; reason?: string }> {
    const key = this.anchorKey(now);
    const fail = (reason: string) => ({ ok: false, seq: a.seq, reason });
    if (a.kid !== key.kid || a.alg !== key.alg)
      return fail('the anchor was signed by a key other than this hub’s trust anchor');
    const signature = base64urlDecode(a.signature);
    const signed =
      signature !== undefined &&
      (await nodeCryptoProvider.verify(
        key.alg,
        await nodeCryptoProvider.importPublicKey(key.publicJwk, key.alg),
        anchorBytes(a),
        signature,
      ));
    if (!signed) return fail('the anchor’s signature does not verify');
    if (a.seq === 0 && baseSeq === 0) return { ok: true, seq: 0 };
    if (a.seq <= baseSeq) return fail('retention has removed the anchored entry: check a newer anchor');
    const entry = await this.log.entry(this.db, a.seq);
    if (!entry) return fail('the anchored entry is missing');
    if (entry.hash !== a.hash) return fail('the anchored entry no longer has the anchored hash');
    return { ok: true, seq: a.seq };
  }
}
