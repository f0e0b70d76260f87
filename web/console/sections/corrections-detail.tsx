/** One correction in the console: the disputed record, the masked holder, attachments, history, the owner's actions. */
import { useState } from 'preact/hooks';
import type { OwnerCorrectionAnswer } from '../../../src/corrections/owner-corrections.routes.ts';
import { ApiError, call } from '../../shared/api.ts';
import type { Lang } from '../../shared/i18n.ts';
import { byField, ErrorNotice, TextField } from '../../shared/ui.tsx';
import { time, type T } from '../section.ts';
import { Head } from '../table-head.tsx';
import { useLoad } from '../use-load.ts';
import { ANSWER_MAX, BASE, KIND_KEY, OPEN, ownerName, size, STATE_KEY } from './corrections-common.ts';

/** One ticket: what was disputed and by whom (masked), the attachments, the history, and the owner's actions. */
export function Detail(props: {
  t: T;
  lang: Lang;
  token: string;
  id: string;
  onChanged: () => void;
  onClose: () => void;
}) {
  const { t, lang, token, id } = props;
  const path = `${BASE}/${encodeURIComponent(id)}`;
  const { data: c, error, reload } = useLoad<OwnerCorrectionAnswer>(token, path);
  const [answer, setAnswer] = useState('');
  const [actError, setActError] = useState<ApiError | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const problems = byField(lang, actError?.details ?? []);
  const answerProblems =
    problems.answer === undefined
      ? []
      : rejecting && answer.trim() === ''
        ? [t('answerRequired')]
        : problems.answer;

  const act = (suffix: string, body?: object) => {
    setActError(null);
    call<OwnerCorrectionAnswer>('POST', `${path}/${suffix}`, { token, ...(body ? { body } : {}) }).then(
      () => {
        setAnswer('');
        reload();
        props.onChanged();
      },
      (e: unknown) => {
        if (e instanceof ApiError) setActError(e);
      },
    );
  };

  const download = (n: number, contentType: string) => {
    setActError(null);
    attachment(token, `${path}/attachments/${String(n)}`).then(
      (blob) => {
        const ext = contentType === 'application/pdf' ? 'pdf' : contentType === 'image/png' ? 'png' : 'jpg';
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = `correction-${id.slice(0, 8)}-${String(n)}.${ext}`;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => {
          URL.revokeObjectURL(url);
        }, 10_000);
      },
      (e: unknown) => {
        if (e instanceof ApiError) setActError(e);
      },
    );
  };

  const open = c !== null && OPEN.includes(c.state);
  return (
    <section class="card" aria-labelledby="correction-title" data-testid="correction">
      <div class="row">
        <h2 id="correction-title">{t('ticketTitle', { id: id.slice(0, 8) })}</h2>
        <button class="secondary-button close-detail" type="button" onClick={props.onClose}>
          {t('closeTicket')}
        </button>
      </div>
      <ErrorNotice error={error ?? actError} />
      {c && (
        <>
          <dl class="facts">
            <dt>{t('status')}</dt>
            <dd data-testid="correction-state">
              {t(STATE_KEY[c.state])}
              {c.reopenCount > 0 && <span class="muted"> · {t('reopened', { n: c.reopenCount })}</span>}
              {c.escalatedAt !== null && (
                <div class="muted">{t('escalatedAt', { time: time(lang, c.escalatedAt) })}</div>
              )}
            </dd>
            <dt>{t('owner')}</dt>
            <dd>{ownerName(lang, c.owner)}</dd>
            <dt>{t('evidence')}</dt>
            <dd>
              {t('evidenceLine', {
                source: c.evidence.source,
                batch: c.evidence.batchId,
                record: c.evidence.record,
              })}
            </dd>
            <dt>{t('holder')}</dt>
            <dd data-testid="correction-holder">{c.holder.name}</dd>
            <dt>{t('kind')}</dt>
            <dd>{t(KIND_KEY[c.kind])}</dd>
            <dt>{t('holderText')}</dt>
            <dd class="holder-text">{c.text}</dd>
            <dt>{t('dueAt')}</dt>
            <dd>
              <Due t={t} lang={lang} c={c} />
            </dd>
            {c.answer !== null && (
              <>
                <dt>{t('answer')}</dt>
                <dd>{c.answer}</dd>
              </>
            )}
            <dt>{t('attachments')}</dt>
            <dd>
              {(c.attachments ?? []).length === 0 ? (
                t('noAttachments')
              ) : (
                <ul class="plain">
                  {c.attachments?.map((a) => (
                    <li key={a.n}>
                      <button
                        class="link"
                        type="button"
                        onClick={() => {
                          download(a.n, a.contentType);
                        }}
                      >
                        {t('attachment', { n: a.n, type: a.contentType, size: size(a.size) })}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
          <h3>{t('history')}</h3>
          <table data-testid="correction-history">
            <Head labels={[t('at'), t('transition'), t('actor'), t('reason')]} />
            <tbody>
              {c.history?.map((h, i) => (
                <tr key={i}>
                  <td>{time(lang, h.at)}</td>
                  <td>
                    {h.from === null ? '—' : t(STATE_KEY[h.from])} → {t(STATE_KEY[h.to])}
                  </td>
                  <td>{h.actor}</td>
                  <td>{h.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {open && (
            <div class="correction-actions">
              {(c.state === 'routed' || c.state === 'submitted') && (
                <button
                  class="secondary-button"
                  type="button"
                  onClick={() => {
                    setRejecting(false);
                    act('review');
                  }}
                >
                  {t('takeInReview')}
                </button>
              )}
              <TextField
                id="correction-answer"
                label={t('answerToHolder')}
                value={answer}
                rows={3}
                maxLength={ANSWER_MAX}
                problems={answerProblems}
                onValue={setAnswer}
              />
              <p class="muted" id="accept-hint">
                {t('acceptHint')}
              </p>
              <div class="row">
                <button
                  class="secondary-button"
                  type="button"
                  aria-describedby="accept-hint"
                  onClick={() => {
                    setRejecting(false);
                    act('decision', {
                      decision: 'accept',
                      action: 'retract',
                      ...(answer.trim() === '' ? {} : { answer: answer.trim() }),
                    });
                  }}
                >
                  {t('acceptRetract')}
                </button>
                <button
                  class="secondary-button"
                  type="button"
                  onClick={() => {
                    // The hub decides whether the answer will do (none: YMT_ERR_VALIDATION at the field).
                    setRejecting(true);
                    act('decision', { decision: 'reject', answer: answer.trim() });
                  }}
                >
                  {t('reject')}
                </button>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/**
 * When the ticket's stage is due: an open one's deadline, marked when it has passed; a decided one's time to close
 * by itself.
 */
export function Due(props: { t: T; lang: Lang; c: OwnerCorrectionAnswer }) {
  const { t, c } = props;
  return (
    <>
      {time(props.lang, c.dueAt)}
      {c.overdue && <div class="badge overdue">{t('overdue')}</div>}
      {c.dueAt !== null && !OPEN.includes(c.state) && <div class="muted">{t('closesBy')}</div>}
    </>
  );
}

/** An attachment's bytes, fetched with the credential (a plain link would carry none). */
async function attachment(token: string, path: string): Promise<Blob> {
  let r: Response;
  try {
    r = await fetch(path, { headers: { authorization: `Bearer ${token}` }, credentials: 'same-origin' });
  } catch {
    // The hub's coded error for an unreachable network, through the shared caller.
    return call<Blob>('GET', path, { token });
  }
  if (r.ok) return r.blob();
  const body = (await r.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string; messageEn?: string };
  };
  throw new ApiError(
    r.status,
    body.error?.code ?? `HTTP_${String(r.status)}`,
    body.error?.message ?? '请求失败',
    body.error?.messageEn ?? `Request failed (${String(r.status)})`,
  );
}
