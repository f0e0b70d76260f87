/**
 * A provincial node's copy of the hub's trust list: the anchor is pinned in DATA_DIR/hub-anchor.json (fetched
 * once from the hub when the file is missing; provision it out of band in production), the list is refreshed
 * with If-None-Match and kept on disk, so the node's checkpoints verify every issuer's codes offline, across
 * restarts, while the hub is away. A list older than the one held (by version) is refused. Fetches run one at a
 * time, in the order asked.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadTrustList,
  type TrustAnchor,
  type TrustList,
  type TrustListDocument,
} from '../codec/trust-list.ts';
import { AppError } from '../errors/app-error.ts';
import { readJson, writeJsonAtomic } from '../files/json-file.ts';
import type { TrustSource } from '../signing/trust-list.service.ts';
import { nodeCryptoProvider } from '../signing/node-crypto.ts';

/** How often a node asks the hub again because a code named a kid its list does not know. */
export interface LookAgainBounds {
  /** The same unknown kid makes the node ask at most once in this long. */
  readonly perKidMs: number;
  /** Look-again fetches start at least this far apart, whatever the kids (4 a second at most). */
  readonly minIntervalMs: number;
  /** Unknown kids remembered at once (a flood of random kids forgets the oldest first). */
  readonly maxKids: number;
}

export const LOOK_AGAIN_BOUNDS: LookAgainBounds = { perKidMs: 30_000, minIntervalMs: 250, maxKids: 10_000 };

/** What the list's fetches use; tests give their own. */
export interface HubTrustListOptions {
  readonly fetch?: typeof fetch;
  /** Wall-clock milliseconds, for the look-again bounds. */
  readonly nowMs?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly lookAgain?: LookAgainBounds;
}

export class HubTrustList implements TrustSource {
  private pinned: TrustAnchor | undefined;
  private held: { doc: TrustListDocument; loaded: TrustList; etag: string | undefined } | undefined;
  /** The fetch under way or last done: the next one starts after it. */
  private queue: Promise<unknown> = Promise.resolve();
  /** A look-again fetch not started yet: whoever meets an unknown kid meanwhile waits for that one. */
  private scheduled: Promise<void> | undefined;
  /** When the last look-again fetch started. */
  private lastLookAt = -Infinity;
  /** Unknown kids asked about, and when (insertion order: oldest first). */
  private readonly askedKids = new Map<string, number>();
  private readonly fetchFn: typeof fetch;
  private readonly nowMs: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly bounds: LookAgainBounds;
  readonly anchorFile: string;
  readonly listFile: string;

  constructor(
    private readonly hubUrl: string,
    dataDir: string,
    private readonly timeoutMs: number,
    options: HubTrustListOptions = {},
  ) {
    this.anchorFile = join(dataDir, 'hub-anchor.json');
    this.listFile = join(dataDir, 'hub-trust-list.json');
    this.fetchFn = options.fetch ?? fetch;
    this.nowMs = options.nowMs ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.bounds = options.lookAgain ?? LOOK_AGAIN_BOUNDS;
  }

  private async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.fetchFn(new URL(path, this.hubUrl), { headers, signal: AbortSignal.timeout(this.timeoutMs) });
  }

  /** Pins the anchor (from the file, or the hub the first time) and loads the list kept on disk. */
  async init(now: Date): Promise<void> {
    if (existsSync(this.anchorFile)) {
      this.pinned = readJson(this.anchorFile) as TrustAnchor;
    } else {
      const res = await this.get('/.well-known/yimatong/trust-anchor');
      if (!res.ok) throw new Error(`the hub's trust anchor: HTTP ${res.status}`);
      this.pinned = (await res.json()) as TrustAnchor;
      writeJsonAtomic(this.anchorFile, this.pinned);
    }
    if (existsSync(this.listFile)) {
      const doc = readJson(this.listFile) as TrustListDocument;
      const r = await loadTrustList(doc, this.pinned, now, nodeCryptoProvider);
      if (r.ok) this.held = { doc, loaded: r.trustList, etag: undefined };
    }
  }

  /** Fetches the list if it changed (after any fetch under way). Returns whether a new version was taken. */
  refresh(now: Date): Promise<boolean> {
    const run = this.queue.then(() => this.fetchList(now));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async fetchList(now: Date): Promise<boolean> {
    const anchor = this.anchor();
    const res = await this.get(
      '/.well-known/yimatong/trust-list',
      this.held?.etag ? { 'if-none-match': this.held.etag } : {},
    );
    if (res.status === 304) return false;
    if (!res.ok) throw new Error(`the hub's trust list: HTTP ${res.status}`);
    const doc = (await res.json()) as TrustListDocument;
    const r = await loadTrustList(doc, anchor, now, nodeCryptoProvider);
    if (!r.ok) throw new Error(`the hub's trust list does not load: ${r.error}`);
    if (this.held && r.trustList.version < this.held.loaded.version) {
      throw new Error(
        `the hub's trust list went back from version ${this.held.loaded.version} to ${r.trustList.version}`,
      );
    }
    this.held = { doc, loaded: r.trustList, etag: res.headers.get('etag') ?? undefined };
    writeJsonAtomic(this.listFile, doc);
    return true;
  }

  /**
   * A code named `kid`, which the list held does not know: the hub may have listed it since the last fetch,
   * however recent that fetch was. The node asks the hub with a fetch that starts after this call (joining one
   * already scheduled, or waiting for the one under way to end first), so a key published just before the code
   * was shown is found. Bounded: the same kid at most once per `perKidMs`, and look-again fetches at least
   * `minIntervalMs` apart, however many unknown kids come — a code with a random kid cannot make the node
   * hammer the hub. Says whether the list now knows the kid (listed or revoked). A hub that does not answer
   * leaves the list as it is.
   */
  async lookAgain(now: Date, kid: string): Promise<boolean> {
    if (this.knows(kid)) return true;
    const t = this.nowMs();
    const asked = this.askedKids.get(kid);
    if (asked !== undefined && t - asked < this.bounds.perKidMs) return false;
    this.remember(kid, t);
    await this.nextLook(now);
    return this.knows(kid);
  }

  private knows(kid: string): boolean {
    const list = this.held?.loaded;
    return list !== undefined && (list.keys.has(kid) || list.revoked.has(kid));
  }

  private remember(kid: string, t: number): void {
    this.askedKids.delete(kid);
    // Full (a flood of kids): the older half is forgotten; the bound on fetches still holds.
    if (this.askedKids.size >= this.bounds.maxKids) {
      for (const k of this.askedKids.keys()) {
        if (this.askedKids.size < this.bounds.maxKids / 2) break;
        this.askedKids.delete(k);
      }
    }
    this.askedKids.set(kid, t);
  }

  /** The next look-again fetch: the one scheduled if it has not started, else a new one. Never rejects. */
  private nextLook(now: Date): Promise<void> {
    if (this.scheduled) return this.scheduled;
    const wait = this.lastLookAt + this.bounds.minIntervalMs - this.nowMs();
    const scheduled = (wait > 0 ? this.sleep(wait) : Promise.resolve()).then(async () => {
      // From here on, whoever comes needs a fetch that starts later than this one.
      this.scheduled = undefined;
      this.lastLookAt = this.nowMs();
      await this.refresh(now).catch(() => false);
    });
    this.scheduled = scheduled;
    return scheduled;
  }

  anchor(): TrustAnchor {
    if (!this.pinned) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
    return this.pinned;
  }

  trustList(): Promise<{ doc: TrustListDocument; loaded: TrustList }> {
    if (!this.held) return Promise.reject(new AppError('YMT_ERR_PEER_UNAVAILABLE'));
    return Promise.resolve(this.held);
  }

  /** The list held, if any (the node's key sync reads revocations from it, its code signer the keys). */
  current(): TrustList | undefined {
    return this.held?.loaded;
  }
}
