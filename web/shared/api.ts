/**
 * The faces' one way to call the hub: JSON in and out, the session cookie (holders) or a bearer credential
 * (console), and every error as an ApiError carrying the hub's code and both messages. A 503 `YMT_ERR_BUSY`
 * carries the hub's Retry-After so that the caller can show the busy notice and try again by itself.
 */

export interface FieldProblem {
  readonly field: string;
  readonly code: string;
  readonly message: string;
  readonly messageEn: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly details: readonly FieldProblem[] = [],
    /** Seconds, from Retry-After (503 busy). */
    readonly retryAfter?: number,
  ) {
    super(`${code}: ${messageEn}`);
    this.name = 'ApiError';
  }

  get busy(): boolean {
    return this.code === 'YMT_ERR_BUSY';
  }
}

/** What the faces show when the hub cannot be reached at all (offline, DNS, refused). */
export const NETWORK_ERROR = {
  code: 'YMT_ERR_NETWORK',
  message: '网络连接失败，请检查网络后重试',
  messageEn: 'The network cannot be reached: check the connection and try again',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function problemsOf(v: unknown): FieldProblem[] {
  if (!Array.isArray(v)) return [];
  const text = (x: unknown) => (typeof x === 'string' ? x : '');
  return v.filter(isRecord).map((d) => ({
    field: text(d.field),
    code: text(d.code),
    message: text(d.message),
    messageEn: text(d.messageEn),
  }));
}

/** The codes that mean "no valid holder session": the face goes back to sign-in. */
const SESSION_GONE = new Set(['YMT_ERR_UNAUTHENTICATED', 'YMT_ERR_SESSION_EXPIRED']);
let onSessionGone: (() => void) | undefined;

/** Called when a holder call (one without a bearer credential) finds the session missing or expired. */
export function whenSessionGone(handler: () => void): void {
  onSessionGone = handler;
}

export interface CallOptions {
  readonly body?: unknown;
  /** A bearer credential; holders use the HttpOnly session cookie instead. */
  readonly token?: string | undefined;
  readonly signal?: AbortSignal;
}

/** The hub's clock minus this device's, in ms, from the last answer's `Date` header (0 until one is seen). */
let clockOffsetMs = 0;

/**
 * Now on the hub's clock, as far as the last answer's `Date` header tells (to about a second): for a countdown to a
 * time the hub set, on a phone whose own clock may be wrong. The code screen has a finer measure (`serverTime`).
 */
export function serverNow(): number {
  return Date.now() + clockOffsetMs;
}

export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const sentAt = Date.now();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, NETWORK_ERROR.code, NETWORK_ERROR.message, NETWORK_ERROR.messageEn);
  }
  // Only from an answer no cache can have kept (an old copy carries its old Date); the header counts whole
  // seconds: half a second is the best guess of what it leaves out.
  const date = Date.parse(response.headers.get('date') ?? '');
  const kept =
    /max-age|public/.test(response.headers.get('cache-control') ?? '') ||
    response.headers.has('x-ymt-offline-copy');
  if (Number.isFinite(date) && !kept) clockOffsetMs = date + 500 - (sentAt + Date.now()) / 2;
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (response.ok) return json as T;
  const error = isRecord(json) && isRecord(json.error) ? json.error : {};
  const retry = Number(response.headers.get('retry-after'));
  const code = typeof error.code === 'string' ? error.code : `HTTP_${String(response.status)}`;
  if (response.status === 401 && options.token === undefined && SESSION_GONE.has(code)) onSessionGone?.();
  throw new ApiError(
    response.status,
    code,
    typeof error.message === 'string' ? error.message : '请求失败',
    typeof error.messageEn === 'string' ? error.messageEn : `Request failed (${response.status})`,
    problemsOf(error.details),
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

/**
 * How long to wait before asking again after a busy refusal: the hub's Retry-After, doubled for each refusal in a
 * row (at most 8 times, at most a minute), plus up to 20 % at random so that phones refused together do not come
 * back together.
 */
export function busyRetryDelay(e: ApiError, attempt: number): number {
  const base = (e.retryAfter ?? 2) * 1000 * Math.min(8, 2 ** attempt);
  return Math.min(60_000, base) * (1 + Math.random() * 0.2);
}
