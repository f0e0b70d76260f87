/**
 * The second step of a sign-in at a province's node: the hub texted the holder six digits, which the holder types
 * here. Where the text went (masked), a countdown to the code's expiry on the hub's clock, a new code after a
 * minute (or once this one has expired), and the way back to the document. Refusals about the code are shown at
 * the field, the rest above the form, in the app's language.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ConfirmationAnswer } from '../../src/auth/auth.routes.ts';
import { ApiError, call, serverNow } from '../shared/api.ts';
import { messageOf } from '../shared/i18n.ts';
import { byField, ErrorNotice, TextField } from '../shared/ui.tsx';
import { mmss, useCitizen } from './context.ts';

/** A new code may be asked for this long after the last one was sent (the hub allows five an hour). */
const RESEND_AFTER_MS = 60_000;
/** The hub's refusals that are about the code typed: shown at the field. */
const AT_FIELD = new Set(['YMT_ERR_CONFIRMATION_FAILED', 'YMT_ERR_CONFIRMATION_EXPIRED']);

/** The digits typed, full-width ones (Chinese input methods) as plain digits, without spaces or dashes. */
function digitsOf(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s-]/g, '');
}

export function ConfirmCode(props: {
  readonly challenge: ConfirmationAnswer;
  readonly onConfirmed: () => void;
  /** Signs in again with the same document: a new code (and a new challenge) or a refusal. */
  readonly onResend: () => Promise<void>;
  readonly onBack: () => void;
}) {
  const { t, lang } = useCitizen();
  const [code, setCode] = useState('');
  const [malformed, setMalformed] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);
  const [shownAt] = useState(Date.now());
  const [clock, setClock] = useState({ hub: serverNow(), device: Date.now() });

  useEffect(() => {
    document.getElementById('confirmCode')?.focus();
    const tick = setInterval(() => {
      setClock({ hub: serverNow(), device: Date.now() });
    }, 1000);
    return () => {
      clearInterval(tick);
    };
  }, []);

  const remaining = Date.parse(props.challenge.expiresAt) - clock.hub;
  const resendWait = Math.ceil((shownAt + RESEND_AFTER_MS - clock.device) / 1000);
  const mayResend = resendWait <= 0 || remaining <= 0 || error?.code === 'YMT_ERR_CONFIRMATION_EXPIRED';
  // Worded at each render, so that switching the language rewords them.
  const atField = malformed
    ? [t('confirmFormat')]
    : error && AT_FIELD.has(error.code)
      ? [messageOf(lang, error)]
      : [...((error && byField(lang, error.details).code) ?? [])];

  async function submit(e: Event) {
    e.preventDefault();
    const digits = digitsOf(code);
    setError(null);
    setMalformed(!/^\d{6}$/.test(digits));
    if (!/^\d{6}$/.test(digits)) return;
    setSending(true);
    try {
      await call('POST', '/api/v1/auth/real-name/confirm', {
        body: { challengeId: props.challenge.challengeId, code: digits },
      });
      props.onConfirmed();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setError(err);
    } finally {
      setSending(false);
    }
  }

  function resend() {
    setError(null);
    setMalformed(false);
    setSending(true);
    props
      .onResend()
      .catch((err: unknown) => {
        if (err instanceof ApiError) setError(err);
      })
      .finally(() => {
        setSending(false);
      });
  }

  return (
    <form class="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="confirm-title">
      <h2 id="confirm-title">{t('confirmTitle')}</h2>
      <p data-testid="sent-to">{t('codeSentTo', { phone: props.challenge.sentTo })}</p>
      <ErrorNotice error={atField.length > 0 ? null : error} />
      <TextField
        id="confirmCode"
        label={t('confirmCode')}
        class="otp"
        inputMode="numeric"
        autocomplete="one-time-code"
        maxLength={12}
        required
        value={code}
        onValue={setCode}
        problems={atField}
      />
      <p class="muted" data-testid="confirm-countdown">
        {remaining > 0 ? t('confirmValidFor', { time: mmss(remaining) }) : t('confirmExpired')}
      </p>
      <button class="primary" type="submit" disabled={sending}>
        {sending ? t('confirming') : t('confirm')}
      </button>
      <div class="row">
        <button class="secondary-button" type="button" disabled={!mayResend || sending} onClick={resend}>
          {mayResend ? t('resend') : t('resendIn', { s: resendWait })}
        </button>
        <button class="secondary-button" type="button" onClick={props.onBack}>
          {t('changeDocument')}
        </button>
      </div>
    </form>
  );
}
