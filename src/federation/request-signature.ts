/**
 * Signed requests between the hub and provincial nodes (docs/federation.md#requests). The caller signs, with
 * its ES256 access key, one line per element: a fixed label, the method, the path with its query, its own id,
 * the time, a random nonce and the SHA-256 of the body's RFC 8785 canonical JSON. The receiver checks the
 * signature with the caller's enrolled key, that the time is within its window and that the nonce is new.
 * Pure apart from the signature primitive and the nonce memory the caller passes in.
 */
import { createHash, KeyObject, randomBytes, verify as nodeVerify } from 'node:crypto';
import { base64urlDecode, base64urlEncode } from '../codec/base64url.ts';
import { canonicalJson } from '../codec/canonical-json.ts';
import { sm2Verify, type Sm2PublicKey } from '../codec/sm2.ts';
import { MemoryOnce, type OnceStore } from '../limits/once.ts';

export const REQUEST_SIGNATURE_LABEL = 'YMT-REQ-1';
/** How far a request's time may differ from the receiver's clock. */
export const REQUEST_WINDOW_MS = 300_000;

export const HEADER_CALLER = 'x-ymt-caller';
export const HEADER_DATE = 'x-ymt-date';
export const HEADER_NONCE = 'x-ymt-nonce';
export const HEADER_SIGNATURE = 'x-ymt-signature';

export interface RequestToSign {
  readonly method: string;
  /** Path and query as sent, e.g. `/api/v1/federation/reports?status=open`. */
  readonly path: string;
  readonly caller: string;
  /** The parsed JSON body; undefined or null when there is none. */
  readonly body: unknown;
}

export function requestSigningInput(req: RequestToSign, date: string, nonce: string): Uint8Array {
  const bodyHash = createHash('sha256')
    .update(canonicalJson(req.body ?? null))
    .digest('hex');
  return new TextEncoder().encode(
    [REQUEST_SIGNATURE_LABEL, req.method.toUpperCase(), req.path, req.caller, date, nonce, bodyHash].join(
      '\n',
    ),
  );
}

export function signRequest(
  req: RequestToSign,
  sign: (data: Uint8Array) => Uint8Array,
  now: Date,
): Record<string, string> {
  const date = now.toISOString();
  const nonce = base64urlEncode(randomBytes(16));
  return {
    [HEADER_CALLER]: req.caller,
    [HEADER_DATE]: date,
    [HEADER_NONCE]: nonce,
    [HEADER_SIGNATURE]: base64urlEncode(sign(requestSigningInput(req, date, nonce))),
  };
}

/** Nonces seen within the window, by every process of the hub or node (src/limits/once.ts): a replay is refused. */
export class NonceMemory {
  constructor(private readonly store: OnceStore = new MemoryOnce()) {}

  /** False when the nonce was already used by this caller; remembers it otherwise. */
  remember(caller: string, nonce: string, nowMs: number): Promise<boolean> {
    return this.store.firstTime(`nonce:${caller}:${nonce}`, 2 * REQUEST_WINDOW_MS, nowMs);
  }
}

export type RequestCheck = { readonly ok: true } | { readonly ok: false; readonly problem: string };

/** Checks a signed request's headers (lower-case names) against the caller's public key. */
export async function checkSignedRequest(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  req: Omit<RequestToSign, 'caller'>,
  /** ES256 (a KeyObject), or SM2 for a hub whose anchor is SM2 (national cryptography). */
  callerKey: KeyObject | Sm2PublicKey,
  nowMs: number,
  nonces: NonceMemory,
): Promise<RequestCheck> {
  const one = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const caller = one(HEADER_CALLER);
  const date = one(HEADER_DATE);
  const nonce = one(HEADER_NONCE);
  const signature = one(HEADER_SIGNATURE);
  if (!caller || !date || !nonce || !signature) return { ok: false, problem: 'missing signature headers' };
  const at = Date.parse(date);
  if (Number.isNaN(at) || Math.abs(at - nowMs) > REQUEST_WINDOW_MS)
    return { ok: false, problem: 'the request time is outside the window' };
  const sig = base64urlDecode(signature);
  let valid = false;
  try {
    const input = requestSigningInput({ ...req, caller }, date, nonce);
    valid =
      sig?.length === 64 &&
      (callerKey instanceof KeyObject
        ? nodeVerify('sha256', input, { key: callerKey, dsaEncoding: 'ieee-p1363' }, sig)
        : sm2Verify(callerKey, input, sig));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, problem: 'bad signature' };
  if (!(await nonces.remember(caller, nonce, nowMs))) return { ok: false, problem: 'replayed request' };
  return { ok: true };
}
