/**
 * The checkpoint's offline verifier: the hub's signed trust list (keys, revocations, acceptance rules) kept on the
 * device, checked against the anchor pinned the first time, and the same verifier and acceptance rules as the hub
 * (src/codec, src/recognition) run in the browser. It refuses to decide on a list that has expired. A code whose key
 * the list does not know makes it fetch the list once, when online (verifyScanned), before it refuses.
 */
import {
  codeKid,
  loadTrustList,
  verifyCode,
  webCryptoProvider,
  type TrustAnchor,
  type TrustList,
  type TrustListDocument,
} from '../../src/codec/index.ts';
import { acceptanceRuleSetsOf } from '../../src/recognition/acceptance.registry.ts';
import { acceptance } from '../../src/recognition/acceptance.ts';
import type { Decision } from '../../src/recognition/acceptance-rule-set.ts';
import { ERRORS, type ErrorCode } from '../../src/errors/registry.ts';

const STORE = 'ymt.scan.trust';
/** After this, the scanner says its list is stale (it still decides until the list's own expiry). */
export const STALE_AFTER_MS = 24 * 3600_000;

export interface StoredTrust {
  readonly anchor: TrustAnchor;
  readonly list: TrustListDocument;
  /** When this device last fetched the list, ms. */
  readonly fetchedAt: number;
}

export interface Outcome {
  readonly decision: Decision;
  readonly valid: boolean;
  readonly reasons: readonly { code: string; text: string; textEn: string }[];
  readonly colour?: 'green' | 'yellow' | 'red';
  readonly maskedName?: string;
  /** paper: printed by a registrar (Q9), valid longer than a code on screen. */
  readonly form?: 'screen' | 'paper';
  readonly issuer?: string;
  readonly issuerName?: string;
  readonly issuerNameEn?: string;
  readonly expiresAt?: Date;
  readonly ruleSet?: string;
  /** Refused for an unknown key with a list this device could not update: the list may be out of date. */
  readonly listMayBeStale?: boolean;
}

const crypto = webCryptoProvider();

export function storedTrust(): StoredTrust | null {
  try {
    const raw = localStorage.getItem(STORE);
    return raw === null ? null : (JSON.parse(raw) as StoredTrust);
  } catch {
    return null;
  }
}

function errorReason(code: ErrorCode) {
  const e = ERRORS[code];
  return { code, text: e.message, textEn: e.messageEn };
}

/**
 * Fetches the list (and, the first time, the anchor, which is then pinned) and keeps it only if its signature
 * checks and it is not older than the one held. Returns the list held afterwards, or throws what went wrong.
 */
export async function refreshTrust(now: number): Promise<StoredTrust> {
  const held = storedTrust();
  let anchor = held?.anchor;
  if (!anchor) {
    const r = await fetch('/.well-known/yimatong/trust-anchor', { cache: 'no-store' });
    if (!r.ok) throw new Error(`trust anchor: HTTP ${r.status}`);
    anchor = (await r.json()) as TrustAnchor;
  }
  const r = await fetch('/.well-known/yimatong/trust-list', { cache: 'no-store' });
  if (!r.ok) throw new Error(`trust list: HTTP ${r.status}`);
  // The service worker's kept copy (web/sw.ts) when the network is down: not an update.
  const keptCopy = r.headers.get('x-ymt-offline-copy') === '1';
  if (keptCopy && held) throw new Error('offline');
  const list = (await r.json()) as TrustListDocument;
  const loaded = await loadTrustList(list, anchor, now, crypto);
  if (!loaded.ok) throw new Error(loaded.error);
  if (held && held.list.version > list.version) return held;
  // A kept copy is as old as its signature, as far as this device can tell.
  const next = { anchor, list, fetchedAt: keptCopy ? Date.parse(list.issuedAt) : now };
  localStorage.setItem(STORE, JSON.stringify(next));
  loadedCache = null;
  return next;
}

let loadedCache: { version: number; list: TrustList } | null = null;

export type TrustState =
  | { readonly usable: true; readonly stale: boolean; readonly stored: StoredTrust }
  | {
      readonly usable: false;
      readonly reason: 'missing' | 'expired';
      readonly stored: StoredTrust | null;
    };

export function trustState(now: number): TrustState {
  const stored = storedTrust();
  if (!stored) return { usable: false, reason: 'missing', stored };
  if (now > Date.parse(stored.list.expiresAt)) return { usable: false, reason: 'expired', stored };
  return { usable: true, stale: now - stored.fetchedAt > STALE_AFTER_MS, stored };
}

/** Verifies a scanned text and decides with the rules of the checkpoint's province (national without one). */
export async function verifyOffline(text: string, province: string | null, now: Date): Promise<Outcome> {
  const state = trustState(+now);
  if (!state.usable) {
    return {
      decision: 'manual',
      valid: false,
      reasons: [
        errorReason(state.reason === 'expired' ? 'YMT_ERR_TRUST_LIST_EXPIRED' : 'YMT_ERR_TRUST_LIST_INVALID'),
      ],
    };
  }
  const doc = state.stored.list;
  if (loadedCache?.version !== doc.version) {
    const loaded = await loadTrustList(doc, state.stored.anchor, now, crypto);
    if (!loaded.ok) return { decision: 'manual', valid: false, reasons: [errorReason(loaded.error)] };
    loadedCache = { version: doc.version, list: loaded.trustList };
  }
  const list = loadedCache.list;
  const r = await verifyCode(text.trim(), list, now, { crypto });
  if (!r.valid) return { decision: 'refuse', valid: false, reasons: [errorReason(r.error)] };
  const national = list.issuers.find((i) => !/^\d{6}$/.test(i.iss))?.iss ?? 'CN';
  const decided = acceptance(
    r,
    province === null ? null : { region: province, province },
    national,
    now,
    acceptanceRuleSetsOf(list),
  );
  const issuer = list.issuers.find((i) => i.iss === r.issuer);
  return {
    decision: decided.decision,
    valid: true,
    reasons: decided.reasons,
    colour: r.colour,
    maskedName: r.maskedName,
    form: r.form,
    issuer: r.issuer,
    ...(issuer ? { issuerName: issuer.name, issuerNameEn: issuer.nameEn } : {}),
    expiresAt: r.expiresAt,
    ruleSet: decided.ruleSet,
  };
}

/** An unknown kid is looked for online at most once in this long (per kid). */
export const LOOK_AGAIN_PER_KID_MS = 30_000;
/** Unknown kids looked for, when, and whether the list could be fetched then. */
const lookedFor = new Map<string, { readonly at: number; readonly fetched: boolean }>();
/** The look-again fetch under way: one at a time. */
let looking: Promise<boolean> | null = null;

function lookAgain(kid: string, at: number): Promise<boolean> {
  const previous = looking ?? Promise.resolve(true);
  // After the fetch under way (which may have left before the key was published), one of our own.
  const next = previous.then(() =>
    refreshTrust(Date.now()).then(
      () => true,
      () => false,
    ),
  );
  looking = next;
  return next.then((fetched) => {
    if (looking === next) looking = null;
    if (lookedFor.size >= 1000) lookedFor.clear();
    lookedFor.set(kid, { at, fetched });
    return fetched;
  });
}

/**
 * What the scanner runs on a scanned text: the offline verifier; when it does not know the code's key (a province
 * may have published one since the device's last update), and the device is online, it fetches the list once —
 * at most once per kid in LOOK_AGAIN_PER_KID_MS, one fetch at a time — and verifies again. Offline, or when the
 * list could not be fetched, the refusal says the list may be out of date.
 */
export async function verifyScanned(
  text: string,
  province: string | null,
  now: Date,
  online: boolean,
): Promise<Outcome> {
  const first = await verifyOffline(text, province, now);
  const kid = first.reasons[0]?.code === 'YMT_ERR_CODE_KID_UNKNOWN' ? codeKid(text) : undefined;
  if (kid === undefined) return first;
  const t = Date.now();
  const asked = lookedFor.get(kid);
  let fetched: boolean;
  if (!online) fetched = false;
  else if (asked !== undefined && t - asked.at < LOOK_AGAIN_PER_KID_MS) fetched = asked.fetched;
  else fetched = await lookAgain(kid, t);
  const again = fetched ? await verifyOffline(text, province, now) : first;
  return !fetched && again.reasons[0]?.code === 'YMT_ERR_CODE_KID_UNKNOWN'
    ? { ...again, listMayBeStale: true }
    : again;
}
