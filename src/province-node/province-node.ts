/**
 * The life of a provincial node beside its HTTP server (`yimatong province`): at start it pins the hub's
 * anchor and takes its trust list, tells the hub where it listens, uploads its certified signing keys and its
 * acceptance rules, and waits until the hub lists its active key (so its codes verify everywhere). Then, in the
 * background: the trust list is refreshed and the keys kept in sync (a revoked or ageing key is rotated), and
 * status changes are swept and pushed — each loop retrying with backoff while the hub is away.
 */
import { readFileSync } from 'node:fs';
import type { Keyring, KeyStore } from '../signing/keystore.ts';
import type { KeyringCache } from '../signing/trust-list.service.ts';
import type { HubTrustList } from './hub-trust-list.ts';
import { ROTATE_BEFORE_END_MS, SIGNING_KEY_VALIDITY_MS, type ProvinceKeys } from './province-keys.ts';
import { backoffCap, repeatWithBackoff, type SignedClient } from '../federation/signed-client.ts';
import type { NodeExchange } from './node-exchange.ts';

export interface ProvinceNodeOptions {
  readonly code: string;
  readonly trustRefreshMs: number;
  readonly statusPushMs: number;
  /** Acceptance rule set files this province publishes at start. */
  readonly rulesFiles: readonly string[];
  readonly clock: () => Date;
  readonly log: (message: string) => void;
}

/** The hub refused what the node sent (not a matter of waiting): starting again will not help. */
export class HubRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubRefusedError';
  }
}

export class ProvinceNode {
  private readonly uploaded = new Set<string>();
  private loops: { stop(): Promise<void> }[] = [];
  private stopping = false;
  /** Ends the wait between two start attempts early (stop). */
  private wake: (() => void) | undefined;

  constructor(
    readonly hub: SignedClient,
    readonly trust: HubTrustList,
    readonly keys: ProvinceKeys,
    private readonly store: KeyStore,
    private readonly keyring: KeyringCache,
    readonly outbox: NodeExchange,
    readonly options: ProvinceNodeOptions,
  ) {}

  /** Registers and publishes; resolves once the hub lists the node's active key. Retries while the hub is away. */
  async start(publicUrl: string, deadlineMs = 120_000): Promise<void> {
    const until = Date.now() + deadlineMs;
    let delay = 250;
    for (;;) {
      if (this.isStopping()) return;
      try {
        const now = this.options.clock();
        await this.trust.init(now);
        await this.call('PUT', '/api/v1/federation/node', { url: publicUrl });
        await this.publishRules();
        await this.syncKeys(now);
        await this.trust.refresh(now);
        if (this.trust.current()?.keys.has(this.activeKid(now))) break;
        throw new Error('the hub does not list the active signing key yet');
      } catch (e) {
        if (e instanceof HubRefusedError || Date.now() + delay > until) throw e;
        this.options.log(`waiting for the hub: ${(e as Error).message}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        delay = Math.min(5000, delay * 2);
      }
    }
    // stop() may have come while the last attempt ran.
    if (this.isStopping()) return;
    const onError = (what: string) => (e: unknown, next: number) => {
      this.options.log(`${what} failed (${(e as Error).message}); next try in ${Math.round(next / 1000)} s`);
    };
    this.loops = [
      repeatWithBackoff(
        async () => {
          const now = this.options.clock();
          await this.trust.refresh(now);
          await this.syncKeys(now);
        },
        this.options.trustRefreshMs,
        backoffCap(this.options.trustRefreshMs),
        onError('trust list refresh'),
      ),
      repeatWithBackoff(
        async () => {
          const now = this.options.clock();
          await this.outbox.sweep(now);
          await this.outbox.push(this.hub);
        },
        this.options.statusPushMs,
        backoffCap(this.options.statusPushMs),
        onError('status push'),
      ),
    ];
  }

  private isStopping(): boolean {
    return this.stopping;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await Promise.all(this.loops.map((l) => l.stop()));
    this.loops = [];
  }

  private activeKid(now: Date): string {
    return this.keyring.current(now.getTime()).activeKid;
  }

  private async call(method: 'PUT' | 'POST', path: string, body: unknown): Promise<unknown> {
    const res = await this.hub.call(method, path, body);
    const what = `${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`;
    // 401: not enrolled yet (the operator may still be at it); other 4xx: the hub will not take it.
    if (res.status >= 400 && res.status < 500 && res.status !== 401) throw new HubRefusedError(what);
    if (res.status >= 300) throw new Error(what);
    return res.body;
  }

  private async publishRules(): Promise<void> {
    for (const file of this.options.rulesFiles) {
      const ruleSet = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      await this.call('POST', '/api/v1/federation/acceptance-rules', { ruleSet });
    }
  }

  /**
   * Rotates the active key when the hub revoked it or its certificate nears its end, then uploads every
   * certificate the hub has not taken yet (a retired key's shorter one included), and takes the hub's list again
   * when it uploaded one: the node signs with a new key only once the list it holds carries it (publish before
   * use, published-key-signing.ts), so it switches as soon as the hub lists the key.
   */
  async syncKeys(now: Date): Promise<void> {
    const revoked = this.trust.current()?.revoked;
    let ring: Keyring = this.keyring.current(now.getTime());
    const active = ring.keys.find((k) => k.kid === ring.activeKid);
    const ageing =
      active !== undefined &&
      active.createdAt.getTime() + SIGNING_KEY_VALIDITY_MS - ROTATE_BEFORE_END_MS <= now.getTime();
    if (revoked?.has(ring.activeKid) || ageing) {
      const r = this.store.rotate(now);
      this.options.log(
        `signing key ${r.retiredKid ?? '?'} ${ageing ? 'ageing' : 'revoked'}: rotated to ${r.activeKid}`,
      );
      ring = this.keyring.reload();
    }
    let sent = false;
    for (const certificate of this.keys.certificates(ring)) {
      const id = `${certificate.kid}|${certificate.notAfter}`;
      // A window already over is nothing the hub would take (nor a verifier need).
      if (
        this.uploaded.has(id) ||
        revoked?.has(certificate.kid) ||
        Date.parse(certificate.notAfter) <= now.getTime()
      )
        continue;
      const res = await this.hub.call('POST', '/api/v1/federation/signing-keys', { certificate });
      const code = (res.body as { error?: { code?: string } } | null)?.error?.code;
      if (res.status < 300 || code === 'YMT_ERR_KEY_REVOKED') this.uploaded.add(id);
      else throw new Error(`upload of key ${certificate.kid}: HTTP ${res.status} ${code ?? ''}`);
      sent ||= res.status < 300;
    }
    if (sent) await this.trust.refresh(now);
  }
}
