/** "我的纠错": the holder's tickets with their states, answers and history; a rejected or closed one reopened once. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { HolderCorrection } from '../../src/corrections/corrections.views.ts';
import { ApiError, call } from '../shared/api.ts';
import { formatTime } from '../shared/i18n.ts';
import { byField, ErrorNotice, TextField } from '../shared/ui.tsx';
import { useCitizen } from './context.ts';
import { kindWord, OPEN, recordWords, stateWord, TEXT_MAX } from './corrections.tsx';

function Reopen(props: { id: string; onDone: () => void }) {
  const { t, lang } = useCitizen();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<readonly string[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);
  const field = `reopen-${props.id}`;
  useEffect(() => {
    if (open) document.getElementById(field)?.focus();
  }, [open, field]);
  if (!open)
    return (
      <button
        class="secondary-button"
        type="button"
        onClick={() => {
          setOpen(true);
        }}
      >
        {t('reopen')}
      </button>
    );
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = text.trim();
        if (trimmed === '' || trimmed.length > TEXT_MAX) {
          setProblems([
            trimmed === '' ? t('required') : t('textTooLong', { max: TEXT_MAX, n: trimmed.length }),
          ]);
          document.getElementById(field)?.focus();
          return;
        }
        setProblems([]);
        setError(null);
        setSending(true);
        call('POST', `/api/v1/me/corrections/${encodeURIComponent(props.id)}/reopen`, {
          body: { text: trimmed },
        })
          .then(props.onDone, (err: unknown) => {
            if (!(err instanceof ApiError)) return;
            setProblems(byField(lang, err.details).text ?? []);
            setError(err);
          })
          .finally(() => {
            setSending(false);
          });
      }}
    >
      <p class="muted">{t('reopenHelp')}</p>
      <ErrorNotice error={error} />
      <TextField
        id={field}
        label={t('reopenText')}
        rows={3}
        required
        value={text}
        onValue={setText}
        problems={problems}
      />
      <button class="primary" type="submit" disabled={sending}>
        {t('reopenSend')}
      </button>
      <button
        class="secondary-button"
        type="button"
        onClick={() => {
          setOpen(false);
        }}
      >
        {t('cancel')}
      </button>
    </form>
  );
}

/** One ticket in full: every change of its state, its attachments; reopened from here when it may be. */
function Details(props: { id: string; onChanged: () => void }) {
  const { t, lang } = useCitizen();
  const [c, setC] = useState<HolderCorrection | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const load = () => {
    call<HolderCorrection>('GET', `/api/v1/me/corrections/${encodeURIComponent(props.id)}`).then(
      (v) => {
        setC(v);
        setError(null);
      },
      (e: unknown) => {
        if (e instanceof ApiError) setError(e);
      },
    );
  };
  useEffect(load, [props.id]);
  if (error) return <ErrorNotice error={error} />;
  if (!c) return <p>{t('loading')}</p>;
  return (
    <div class="correction-details" data-testid="correction-details">
      <h3>{t('history')}</h3>
      <ol class="plain">
        {(c.history ?? []).map((h) => (
          <li key={`${h.at}-${h.to}`} data-testid="history-step">
            <span class="muted">{formatTime(lang, h.at)}</span>{' '}
            {h.from === null
              ? stateWord(t, h.to)
              : t('historyLine', { from: stateWord(t, h.from), to: stateWord(t, h.to) })}
            {h.reason !== null && h.reason !== '' && <div class="muted">{h.reason}</div>}
          </li>
        ))}
      </ol>
      {c.attachments && c.attachments.length > 0 && (
        <>
          <h3>{t('attachments')}</h3>
          <ul class="plain">
            {c.attachments.map((a) => (
              <li key={a.n}>
                {t('attachmentLine', {
                  n: a.n,
                  type: a.contentType,
                  size: Math.max(1, Math.round(a.size / 1024)),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
      {c.reopenable && (
        <Reopen
          id={c.id}
          onDone={() => {
            load();
            props.onChanged();
          }}
        />
      )}
    </div>
  );
}

function CorrectionItem(props: { c: HolderCorrection; onChanged: () => void }) {
  const { t, lang } = useCitizen();
  const { c } = props;
  const [open, setOpen] = useState(false);
  const details = `correction-${c.id}`;
  const rows: [string, string][] = [
    [t('correctionRecord'), recordWords(t, c.evidence)],
    [t('correctionKind'), kindWord(t, c.kind)],
    [t('correctionText'), c.text],
    [t('correctionOwner'), lang === 'zh' ? c.owner.name : c.owner.nameEn],
    ...(c.answer === undefined ? [] : ([[t('correctionAnswer'), c.answer]] as [string, string][])),
    ...(c.dueAt !== null && OPEN.includes(c.state)
      ? ([[t('correctionDue'), formatTime(lang, c.dueAt)]] as [string, string][])
      : []),
    [t('correctionFiled'), formatTime(lang, c.createdAt)],
  ];
  return (
    <li class="correction" data-testid="correction" data-state={c.state}>
      <p style={{ margin: '0 0 0.3rem' }}>
        {t('correctionState')}: <strong data-testid="correction-state">{stateWord(t, c.state)}</strong>
      </p>
      <dl style={{ margin: 0 }}>
        {rows.map(([term, value]) => (
          <div key={term} style={{ marginBottom: '0.3rem' }}>
            <dt class="muted">{term}</dt>
            <dd style={{ margin: 0, overflowWrap: 'anywhere' }}>{value}</dd>
          </div>
        ))}
      </dl>
      <button
        class="link"
        type="button"
        aria-expanded={open}
        aria-controls={open ? details : undefined}
        onClick={() => {
          setOpen(!open);
        }}
      >
        {open ? t('hideDetails') : t('showDetails')}
      </button>
      {open && (
        <div id={details}>
          <Details id={c.id} onChanged={props.onChanged} />
        </div>
      )}
    </li>
  );
}

/** "我的纠错": every ticket, newest first. `focus`: opened from a dispute's outcome, so the heading takes the focus. */
export function MyCorrections(props: { focus: boolean }) {
  const { t } = useCitizen();
  const heading = useRef<HTMLHeadingElement>(null);
  const [list, setList] = useState<readonly HolderCorrection[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const reload = () => {
    call<{ corrections: HolderCorrection[] }>('GET', '/api/v1/me/corrections').then(
      (r) => {
        setList(r.corrections);
        setError(null);
      },
      (e: unknown) => {
        if (e instanceof ApiError) setError(e);
      },
    );
  };
  useEffect(reload, []);
  useEffect(() => {
    if (!props.focus) return;
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'start' });
  }, [props.focus]);
  return (
    <section class="card" aria-labelledby="corrections-title" data-testid="my-corrections">
      <h2 id="corrections-title" ref={heading} tabIndex={-1}>
        {t('myCorrections')}
      </h2>
      <p class="muted">{t('myCorrectionsHelp')}</p>
      <ErrorNotice error={error} />
      {list === null ? (
        !error && <p>{t('loading')}</p>
      ) : list.length === 0 ? (
        <p>{t('nothingYet')}</p>
      ) : (
        <ul class="plain">
          {list.map((c) => (
            <CorrectionItem key={c.id} c={c} onChanged={reload} />
          ))}
        </ul>
      )}
    </section>
  );
}
