/**
 * HTTP between the hub and provincial nodes: JSON requests signed with the caller's key (request-signature.ts),
 * each with a timeout, so a slow or dead peer costs at most that long, and behind a circuit breaker
 * (peer-health.ts), so a peer that keeps failing costs nothing at all for a while. Retries belong to the callers
 * that can wait (the status pusher, the key sync); interactive calls fail fast.
 */
import type { NodeConnections } from './node-address-guard.ts';
import type { NodeUrlPolicy } from './node-url.domain.ts';
import type { PeerHealth } from './peer-health.ts';
import { signRequest } from './request-signature.ts';

export interface SignedClientOptions {
  readonly baseUrl: string;
  /** The caller's id: a province code, or the hub's issuer id. */
  readonly caller: string;
  readonly sign: (data: Uint8Array) => Uint8Array;
  readonly timeoutMs: number;
  readonly clock: () => Date;
  /** The circuit breakers this call counts in (peer-health.ts); none, no breaker. */
  readonly health?: PeerHealth | undefined;
  /**
   * The hub's calls to nodes (node-address-guard.ts): the URL is checked before each call and every connection goes
   * to a checked address; a refusal makes the call fail as the peer being unavailable, and redirects are refused
   * rather than followed.
   */
  readonly connections?: NodeConnections | undefined;
}

export interface SignedResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

/** An error's message with its causes' (fetch says only "fetch failed", and why in its cause). */
function reasonOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.cause === undefined ? e.message : `${e.message}: ${reasonOf(e.cause)}`;
}

/** The peer could not be reached, did not answer in time, or answered with something that is not JSON. */
export class PeerUnavailableError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`${url}: ${reasonOf(cause)}`);
    this.name = 'PeerUnavailableError';
  }
}

export class SignedClient {
  constructor(readonly options: SignedClientOptions) {}

  async call(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<SignedResponse> {
    const url = new URL(path, this.options.baseUrl).toString();
    const headers: Record<string, string> = {
      ...signRequest(
        { method, path, caller: this.options.caller, body },
        this.options.sign,
        this.options.clock(),
      ),
      accept: 'application/json',
      ...extraHeaders,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const { health } = this.options;
    const peer = new URL(this.options.baseUrl).origin;
    if (health && !health.allow(peer))
      throw new PeerUnavailableError(url, 'circuit open: the peer failed repeatedly');
    try {
      const answer = await this.send(url, method, headers, body);
      if (answer.status >= 500) health?.failed(peer);
      else health?.succeeded(peer);
      return answer;
    } catch (e) {
      health?.failed(peer);
      throw e;
    }
  }

  private async send(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: unknown,
  ): Promise<SignedResponse> {
    let res: Response;
    const { connections } = this.options;
    try {
      connections?.check(this.options.baseUrl);
      res = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        // A guarded peer may not send the call elsewhere (say, to a metadata address) with a redirect.
        ...(connections ? { redirect: 'error' as const, dispatcher: connections.dispatcher } : {}),
      });
    } catch (e) {
      throw new PeerUnavailableError(url, e);
    }
    let parsed: unknown = null;
    const text = await res.text().catch((e: unknown) => {
      throw new PeerUnavailableError(url, e);
    });
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new PeerUnavailableError(url, e);
      }
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
}

/** How the hub calls provincial nodes: as itself, signing with its trust anchor, within a timeout. */
export interface HubCaller {
  readonly hubIssuerId: string;
  readonly sign: (now: Date) => (data: Uint8Array) => Uint8Array;
  readonly timeoutMs: number;
  /** The hub's circuit breakers, one per node. */
  readonly health?: PeerHealth | undefined;
  /** Which node URLs the hub calls (node-url.domain.ts), checked again at each call, resolved names included. */
  readonly nodeUrls: NodeUrlPolicy;
  /** The connections of those calls, under `nodeUrls` (one pool for all nodes, closed with the hub). */
  readonly connections: NodeConnections;
}

/** The hub's client of one node. */
export function hubClientOf(caller: HubCaller, baseUrl: string, clock: () => Date): SignedClient {
  return new SignedClient({
    baseUrl,
    caller: caller.hubIssuerId,
    sign: caller.sign(clock()),
    timeoutMs: caller.timeoutMs,
    clock,
    health: caller.health,
    connections: caller.connections,
  });
}

/**
 * The longest a loop that runs every `intervalMs` waits after failures: ten intervals, at most a minute, never less
 * than one interval. So a peer back after an outage is tried again within a minute (within ten seconds when the
 * loop runs every second), and a peer that is down is not called more than a few times a minute.
 */
export function backoffCap(intervalMs: number): number {
  return Math.max(intervalMs, Math.min(60_000, 10 * intervalMs));
}

/** Runs `task` every `intervalMs`; after a failure, waits twice as long each time (up to `maxMs`). */
export function repeatWithBackoff(
  task: () => Promise<void>,
  intervalMs: number,
  maxMs: number,
  onError: (e: unknown, nextDelayMs: number) => void,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let delay = intervalMs;
  const tick = () => {
    running = task().then(
      () => {
        delay = intervalMs;
      },
      (e: unknown) => {
        delay = Math.min(maxMs, delay * 2);
        onError(e, delay);
      },
    );
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, delay);
    });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
