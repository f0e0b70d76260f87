/**
 * The code: the QR in a frame of its colour, the masked name, a countdown to expiry on the hub's clock, and a
 * fresh code fetched by itself before it expires (the hub re-signs when less than 2 minutes are left). When the
 * hub sheds load, the busy notice shows with an automatic retry, and the last code stays while it is valid; a
 * node that does not hold the holder's national status yet is waited for the same way.
 *
 * The code is named after who signs it (Q2.9): at a province's node that province's own code, at the hub the
 * national code, with the holder's linked provincial codes beside it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, busyRetryDelay, call } from '../shared/api.ts';
import { formatTime, messageOf } from '../shared/i18n.ts';
import { BusyNotice, ErrorNotice } from '../shared/ui.tsx';
import type { CodeAnswer } from '../../src/code/code.routes.ts';
import { codeName, colourWord, mmss, reasonText, useCitizen } from './context.ts';
import { LinkedBeside } from './linked-codes.tsx';
import { QrImage } from './qr-image.tsx';

export type IssuedCode = CodeAnswer;

/** Ask for a new code this long before expiry (the hub re-signs below 120 s). */
const REFRESH_BEFORE_MS = 110_000;
export const LAST_CODE = 'ymt.lastCode';
/** At a node, before the hub's national status for the holder has arrived (retryable, like busy). */
const NATIONAL_UNKNOWN = 'YMT_ERR_NATIONAL_STATUS_UNKNOWN';

interface Held {
  readonly code: IssuedCode;
  /** hub clock − our clock, ms. */
  readonly offset: number;
}

function saved(): Held | null {
  try {
    const raw = sessionStorage.getItem(LAST_CODE);
    return raw === null ? null : (JSON.parse(raw) as Held);
  } catch {
    return null;
  }
}

/** The saved picture's file name: the code's name, in ASCII in English. */
function fileName(name: string): string {
  return `${name.replace(/[^\p{L}\p{N}]+/gu, '-').toLowerCase()}.png`;
}

export function CodeView(props: { onOpenLinked: () => void }) {
  const { t, lang, site } = useCitizen();
  const [held, setHeld] = useState<Held | null>(saved);
  const [now, setNow] = useState(Date.now());
  const [loading, setLoading] = useState(false);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  /** Why the app waits to ask again: busy (null) or the national status not known yet. */
  const [waitingFor, setWaitingFor] = useState<ApiError | null>(null);
  const attempts = useRef(0);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  async function load(): Promise<void> {
    clearTimeout(retryTimer.current);
    setLoading(true);
    try {
      const sentAt = Date.now();
      const code = await call<IssuedCode>('POST', '/api/v1/me/code');
      const receivedAt = Date.now();
      const next = { code, offset: Date.parse(code.serverTime) - (sentAt + receivedAt) / 2 };
      sessionStorage.setItem(LAST_CODE, JSON.stringify(next));
      setHeld(next);
      setRetryAt(null);
      setError(null);
      setWaitingFor(null);
      attempts.current = 0;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.busy || e.code === 'YMT_ERR_NETWORK' || e.code === NATIONAL_UNKNOWN) {
        const wait = busyRetryDelay(e, attempts.current++);
        setRetryAt(Date.now() + wait);
        setWaitingFor(e.code === NATIONAL_UNKNOWN ? e : null);
        setError(e.busy || e.code === NATIONAL_UNKNOWN ? null : e);
        retryTimer.current = setTimeout(() => void load(), wait);
      } else {
        setError(e);
      }
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    // A code held in this session is brought up to date at once; otherwise the holder taps "apply".
    if (held) void load();
    const tick = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(tick);
      clearTimeout(retryTimer.current);
    };
  }, []);

  // On the hub's clock, and never more than the code's lifetime (the offset is known to within a round trip).
  const remaining = held
    ? Math.min(
        Date.parse(held.code.expiresAt) - (now + held.offset),
        Date.parse(held.code.expiresAt) - Date.parse(held.code.issuedAt),
      )
    : 0;
  useEffect(() => {
    if (held && remaining < REFRESH_BEFORE_MS && !loading && retryAt === null) void load();
  }, [remaining < REFRESH_BEFORE_MS, loading, retryAt]);

  const c = held?.code;
  const valid = c !== undefined && remaining > 0;
  const name = codeName(t, lang, site);
  const issuerName = (iss: string): string => {
    if (site?.province && iss === site.issuer)
      return lang === 'zh' ? site.province.name : site.province.nameEn;
    return iss === 'CN' || (site?.role === 'hub' && iss === site.issuer) ? t('nationalIssuer') : iss;
  };
  // The code's name heads the screen, and its frame once there is a code.
  const heading = (
    <h2 id="code-title" class="code-name" data-testid="code-name">
      {name}
    </h2>
  );
  return (
    <section aria-labelledby="code-title">
      {!c && heading}
      <BusyNotice
        retryAt={retryAt}
        text={waitingFor ? messageOf(lang, waitingFor) : t('busy')}
        retryText={(s) => t('busyRetry', { s })}
      />
      {retryAt !== null && valid && <p class="notice info">{t('lastCodeKept')}</p>}
      <ErrorNotice error={error} />
      {c?.alreadyApplied && valid && retryAt === null && (
        <div class="notice info" role="status" data-testid="already-applied">
          {t('alreadyApplied')}
        </div>
      )}
      {!c && retryAt === null && (
        <button class="primary" type="button" disabled={loading} onClick={() => void load()}>
          {loading ? t('loading') : t('apply')}
        </button>
      )}
      {c && (
        <div
          class={`code-frame ${valid ? c.colour : 'expired'}`}
          data-testid="code-frame"
          data-colour={c.colour}
        >
          {heading}
          <span class={`colour-word ${c.colour}`}>{colourWord(t, c.colour)}</span>
          <div>
            <QrImage
              text={c.code}
              alt={t('colourAlt', { code: name, colour: colourWord(t, c.colour), name: c.maskedName })}
              faded={!valid}
            />
          </div>
          <div style={{ fontSize: '1.3rem', fontWeight: 700 }} data-testid="masked-name">
            {c.maskedName}
          </div>
          {valid ? (
            <div class="countdown" data-testid="countdown" aria-live="off">
              {t('expiresIn', { time: mmss(remaining) })}
            </div>
          ) : (
            <div class="countdown">{t('expired')}</div>
          )}
          <div class="muted secondary">
            {t('refreshesItself')} · {t('issuer')}: {issuerName(c.issuer)} · {t('issuedAt')}{' '}
            {formatTime(lang, c.issuedAt, false)}
          </div>
        </div>
      )}
      {c && site?.role === 'hub' && (
        <LinkedBeside codeId={c.codeId} hubNow={now + held.offset} onOpenLinked={props.onOpenLinked} />
      )}
      {c && (
        <div class="card secondary" style={{ marginTop: '1rem' }}>
          <h3>{t('reasons')}</h3>
          <ul class="plain">
            {c.reasons.map((r) => (
              <li key={r.code}>{reasonText(lang, r)}</li>
            ))}
          </ul>
        </div>
      )}
      {c && (
        <div class="row">
          <button class="secondary-button" type="button" disabled={loading} onClick={() => void load()}>
            {t('refresh')}
          </button>
          <a class="secondary" href="/api/v1/me/code.png" download={fileName(name)}>
            {t('savePicture')}
          </a>
        </div>
      )}
    </section>
  );
}
