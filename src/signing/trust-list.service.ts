/** Builds and signs the hub's trust list, and keeps the hub's own verifier in step with its keys. */
import {
  loadTrustList,
  signTrustList,
  TRUST_LIST_FORMAT,
  type TrustList,
  type TrustListDocument,
  type TrustListIssuer,
} from '../codec/trust-list.ts';
import type { Config } from '../config/config.ts';
import type { TrustAnchor, TrustListKeyJwk, TrustListRevocation } from '../codec/trust-list.ts';
import type { Keyring, KeyStore } from './keystore.ts';
import { nodeCryptoProvider } from './node-crypto.ts';

export const HUB_NAME = '全国一体化政务服务平台 防疫健康信息码';
export const HUB_NAME_EN = 'National Integrated Government Service Platform: epidemic health code';

/** The provinces' part of the hub's list, read at one revision (src/province-api/trust-input.service.ts). */
export interface FederationTrustInput {
  readonly revision: number;
  readonly provinces: readonly string[];
  readonly keys: readonly TrustListKeyJwk[];
  readonly revoked: readonly TrustListRevocation[];
  readonly ruleSetDocs: readonly Record<string, unknown>[];
}

export interface TrustListOptions {
  readonly issuer: TrustListIssuer;
  readonly validityHours: number;
  readonly retentionSeconds: number;
  /** Acceptance rule set documents distributed with the list (none when absent). */
  readonly acceptanceRules?: readonly Readonly<Record<string, unknown>>[];
  /** The provinces' part of the list (hub only): their keys, revocations and rule sets. */
  readonly federation?: {
    revision(): Promise<number>;
    input(nowMs: number): Promise<FederationTrustInput>;
    /** The names of a provincial unit, for the list's issuers. */
    readonly issuer: (code: string) => TrustListIssuer;
  };
}

/** Where a verifier gets its trust list: the hub builds its own; a provincial node keeps the hub's. */
export interface TrustSource {
  trustList(now: Date): Promise<{ doc: TrustListDocument; loaded: TrustList }>;
  /** The anchor that signs the list. */
  anchor(now: Date): TrustAnchor;
  /**
   * A code named `kid`, a key the list does not know: it may have been added since the list was taken. A source
   * that can be behind asks for the list again (bounded per kid and overall) and says whether the list now knows
   * the kid; the hub's own is never behind.
   */
  lookAgain(now: Date, kid: string): Promise<boolean>;
}

/** The national hub's trust list, as configured, carrying the acceptance rule sets shipped with the hub. */
export function hubTrustListOptions(
  config: Config,
  store: KeyStore,
  shippedAcceptanceRules: readonly Readonly<Record<string, unknown>>[],
): TrustListOptions {
  return {
    issuer: { iss: config.hubIssuerId, name: HUB_NAME, nameEn: HUB_NAME_EN },
    validityHours: config.trustListValidityHours,
    retentionSeconds: store.retentionSeconds,
    acceptanceRules: shippedAcceptanceRules,
  };
}

/**
 * The signed document. A retired key is listed with `notAfter` = retirement + code lifetime + skew, the
 * moment its last code expires; once past, it is left out.
 */
export function buildTrustList(
  keyring: Keyring,
  now: Date,
  options: TrustListOptions,
  federation?: FederationTrustInput,
): TrustListDocument {
  const keys = keyring.keys
    .map((k) => ({
      ...k.publicJwk,
      kid: k.kid,
      alg: k.alg,
      use: 'sig' as const,
      iss: options.issuer.iss,
      notBefore: k.createdAt.toISOString(),
      ...(k.retiredAt === undefined
        ? {}
        : { notAfter: new Date(k.retiredAt.getTime() + options.retentionSeconds * 1000).toISOString() }),
    }))
    .filter((k) => k.notAfter === undefined || Date.parse(k.notAfter) >= now.getTime());
  const fed = federation;
  const issuerOf = options.federation?.issuer;
  const provinceIssuers = fed && issuerOf ? fed.provinces.map((c) => issuerOf(c)) : [];
  const rules = [...(options.acceptanceRules ?? []), ...(fed?.ruleSetDocs ?? [])];
  return signTrustList(
    {
      format: TRUST_LIST_FORMAT,
      // Both counters only grow: the hub's key generation and the federation's revision.
      version: keyring.generation + (fed?.revision ?? 0),
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + options.validityHours * 3600_000).toISOString(),
      issuers: [options.issuer, ...provinceIssuers],
      keys: [...keys, ...(fed?.keys ?? []).filter((k) => Date.parse(k.notAfter ?? '') >= now.getTime())],
      ...(rules.length === 0 && options.acceptanceRules === undefined ? {} : { acceptanceRules: rules }),
      ...(fed && fed.revoked.length > 0 ? { revoked: [...fed.revoked] } : {}),
    },
    keyring.anchor.kid,
    keyring.anchor.sign,
    keyring.anchor.alg,
  );
}

/** How often a cached trust list is re-signed even when no key changed, so `issuedAt` stays recent. */
const RESIGN_AFTER_MS = 3600_000;

/**
 * The keyring as a running hub sees it: re-read when another process (`yimatong keys rotate`) changed the
 * key file, checked at most every `reloadMs`. The signed trust list and its loaded form are cached per
 * generation.
 */
export class KeyringCache implements TrustSource {
  private keyring: Keyring;
  private fileVersion: number;
  private checkedAt = 0;
  private published:
    | { doc: TrustListDocument; loaded: TrustList; generation: number; revision: number; at: number }
    | undefined;

  constructor(
    private readonly store: KeyStore,
    private readonly options: TrustListOptions,
    private readonly reloadMs: number,
  ) {
    this.fileVersion = store.version();
    this.keyring = store.read();
  }

  current(nowMs: number): Keyring {
    if (nowMs - this.checkedAt >= this.reloadMs) {
      this.checkedAt = nowMs;
      const v = this.store.version();
      if (v !== this.fileVersion) {
        this.keyring = this.store.read();
        this.fileVersion = v;
      }
    }
    return this.keyring;
  }

  /** Re-reads the key file now (after this process rotated the keys). */
  reload(): Keyring {
    this.keyring = this.store.read();
    this.fileVersion = this.store.version();
    return this.keyring;
  }

  anchor(now: Date): TrustAnchor {
    const { anchor } = this.current(now.getTime());
    return { ...anchor.publicJwk, kid: anchor.kid };
  }

  lookAgain(): Promise<boolean> {
    return Promise.resolve(false);
  }

  async trustList(now: Date): Promise<{ doc: TrustListDocument; loaded: TrustList }> {
    const keyring = this.current(now.getTime());
    const fed = this.options.federation;
    const revision = fed ? await fed.revision() : 0;
    const p = this.published;
    if (
      p?.generation === keyring.generation &&
      p.revision === revision &&
      now.getTime() - p.at < RESIGN_AFTER_MS
    )
      return p;
    const input = fed ? await fed.input(now.getTime()) : undefined;
    const doc = buildTrustList(keyring, now, this.options, input);
    const result = await loadTrustList(
      doc,
      { ...keyring.anchor.publicJwk, kid: keyring.anchor.kid },
      now,
      nodeCryptoProvider,
    );
    if (!result.ok) throw new Error(`the hub's own trust list does not load: ${result.error}`);
    this.published = {
      doc,
      loaded: result.trustList,
      generation: keyring.generation,
      revision: input?.revision ?? 0,
      at: now.getTime(),
    };
    return this.published;
  }
}
