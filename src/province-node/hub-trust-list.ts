/**
 * A provincial node's copy of the hub's trust list: the anchor is pinned in DATA_DIR/hub-anchor.json (fetched
 * once from the hub when the file is missing; provision it out of band in production), the list is refreshed
 * with If-None-Match and kept on disk, so the node's checkpoints verify every issuer's codes offline, across
 * restarts, while the hub is away. A list older than the one held (by version) is refused.
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

/** A node looks for a newer trust list on an unknown kid at most this often. */
const LOOK_AGAIN_MS = 1000;

export class HubTrustList implements TrustSource {
  private pinned: TrustAnchor | undefined;
  /** When the hub was last asked for the list (wall clock): bounds how often an unknown kid asks again. */
  private fetchedAt = 0;
  private held: { doc: TrustListDocument; loaded: TrustList; etag: string | undefined } | undefined;
  readonly anchorFile: string;
  readonly listFile: string;

  constructor(
    private readonly hubUrl: string,
    dataDir: string,
    private readonly timeoutMs: number,
  ) {
    this.anchorFile = join(dataDir, 'hub-anchor.json');
    this.listFile = join(dataDir, 'hub-trust-list.json');
  }

  private async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(new URL(path, this.hubUrl), { headers, signal: AbortSignal.timeout(this.timeoutMs) });
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

  /** Fetches the list if it changed. Returns whether a new version was taken. */
  async refresh(now: Date): Promise<boolean> {
    const anchor = this.anchor();
    const res = await this.get(
      '/.well-known/yimatong/trust-list',
      this.held?.etag ? { 'if-none-match': this.held.etag } : {},
    );
    this.fetchedAt = Date.now();
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
   * A code with a kid the list does not know may come from a key uploaded since the last refresh: the node
   * refreshes at once, at most once every LOOK_AGAIN_MS. A hub that does not answer leaves the list as it is.
   */
  async lookAgain(now: Date): Promise<boolean> {
    if (Date.now() - this.fetchedAt < LOOK_AGAIN_MS) return false;
    return this.refresh(now).catch(() => false);
  }

  anchor(): TrustAnchor {
    if (!this.pinned) throw new AppError('YMT_ERR_PEER_UNAVAILABLE');
    return this.pinned;
  }

  trustList(): Promise<{ doc: TrustListDocument; loaded: TrustList }> {
    if (!this.held) return Promise.reject(new AppError('YMT_ERR_PEER_UNAVAILABLE'));
    return Promise.resolve(this.held);
  }

  /** The list held, if any (the node's key sync reads revocations from it). */
  current(): TrustList | undefined {
    return this.held?.loaded;
  }
}
