/** 我要纠错's form: beside a record, what is wrong and why, with documents; then who deals with it and by when. */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_MAX, sniff } from '../../src/corrections/attachments.ts';
import { ApiError, call } from '../shared/api.ts';
import { formatTime } from '../shared/i18n.ts';
import { byField, ErrorNotice, FieldErrors, TextField } from '../shared/ui.tsx';
import { useCitizen, type T } from './context.ts';
import { disputable, KINDS, TEXT_MAX, type Created, type Evidence, type Kind } from './corrections.tsx';

/** Uploads one file as the request's body, with the type its content is; the hub's coded error when refused. */
async function upload(id: string, file: File): Promise<void> {
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  let response: Response;
  try {
    response = await fetch(`/api/v1/me/corrections/${encodeURIComponent(id)}/attachments`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': sniff(head) ?? 'application/octet-stream' },
      credentials: 'same-origin',
      body: file,
    });
  } catch {
    throw new ApiError(
      0,
      'YMT_ERR_NETWORK',
      '网络连接失败，请检查网络后重试',
      'The network cannot be reached',
    );
  }
  if (response.ok) return;
  const body = (await response.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string; messageEn?: string };
  };
  throw new ApiError(
    response.status,
    body.error?.code ?? `HTTP_${String(response.status)}`,
    body.error?.message ?? '请求失败',
    body.error?.messageEn ?? `Request failed (${String(response.status)})`,
  );
}

/** What the device can tell of the chosen files before sending them: how many, how large, what they are. */
async function fileProblems(t: T, files: readonly File[]): Promise<string[]> {
  const problems: string[] = [];
  if (files.length > ATTACHMENTS_MAX) problems.push(t('filesTooMany'));
  for (const f of files) {
    if (f.size > ATTACHMENT_MAX_BYTES) problems.push(t('fileTooLarge', { name: f.name }));
    else if (!sniff(new Uint8Array(await f.slice(0, 16).arrayBuffer())))
      problems.push(t('fileType', { name: f.name }));
  }
  return problems;
}

type Problems = Readonly<Record<string, readonly string[]>>;

/** The problems less those of a field the person has just changed. */
function without(problems: Problems, field: string): Problems {
  return Object.fromEntries(Object.entries(problems).filter(([f]) => f !== field));
}

type Sent = Created & { readonly uploaded: number; readonly failed: readonly [string, ApiError][] };

/** The form that disputes one record; the outcome replaces it. */
function DisputeForm(props: {
  evidence: Evidence;
  what: string;
  id: string;
  onCancel: () => void;
  onOpenList?: (() => void) | undefined;
}) {
  const { t, lang } = useCitizen();
  const [kind, setKind] = useState<Kind | null>(null);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<readonly File[]>([]);
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<Sent | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const outcome = useRef<HTMLDivElement>(null);
  const ids = {
    kind: `${props.id}-kind`,
    text: `${props.id}-text`,
    files: `${props.id}-files`,
  };

  useEffect(() => {
    heading.current?.focus();
  }, []);
  useEffect(() => {
    if (sent) outcome.current?.focus();
  }, [sent]);

  async function submit(e: Event) {
    e.preventDefault();
    const trimmed = text.trim();
    const found: Record<string, string[]> = {};
    if (kind === null) found.kind = [t('required')];
    if (trimmed === '') found.text = [t('required')];
    else if (trimmed.length > TEXT_MAX) found.text = [t('textTooLong', { max: TEXT_MAX, n: trimmed.length })];
    const badFiles = await fileProblems(t, files);
    if (badFiles.length > 0) found.files = badFiles;
    setProblems(found);
    setError(null);
    const first = Object.keys(found)[0];
    if (first !== undefined || kind === null) {
      const at = first === 'kind' ? `${ids.kind}-not_me` : first === 'text' ? ids.text : ids.files;
      document.getElementById(at)?.focus();
      return;
    }
    setSending(true);
    try {
      const created = await call<Created>('POST', '/api/v1/me/corrections', {
        body: { evidence: props.evidence, kind, text: trimmed },
      });
      let uploaded = 0;
      const failed: [string, ApiError][] = [];
      for (const f of files) {
        try {
          await upload(created.id, f);
          uploaded++;
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          failed.push([f.name, err]);
        }
      }
      setSent({ ...created, uploaded, failed });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblems(byField(lang, err.details));
      setError(err);
    } finally {
      setSending(false);
    }
  }

  if (sent) {
    const owner = lang === 'zh' ? sent.owner.name : sent.owner.nameEn;
    return (
      <div
        id={props.id}
        class="notice info"
        style={{ marginTop: '0.5rem' }}
        role="status"
        tabIndex={-1}
        ref={outcome}
        data-testid="dispute-outcome"
      >
        <p>
          {t(sent.merged ? 'disputeMerged' : 'disputeDone', { owner })}
          {lang === 'zh' ? '' : ' '}
          {sent.dueAt !== null && t('disputeDue', { time: formatTime(lang, sent.dueAt) })}
        </p>
        {sent.uploaded > 0 && <p>{t('attachmentsSent', { n: sent.uploaded })}</p>}
        {sent.failed.map(([name, err]) => (
          <div class="notice error" role="alert" key={name}>
            {t('attachmentFailed', { name })} {lang === 'zh' ? err.messageZh : err.messageEn}{' '}
            <span class="muted">({err.code})</span>
          </div>
        ))}
        {props.onOpenList && (
          <button class="link" type="button" onClick={props.onOpenList}>
            {t('openMyCorrections')}
          </button>
        )}
      </div>
    );
  }

  return (
    <form
      class="card"
      style={{ marginTop: '0.5rem' }}
      id={props.id}
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={`${props.id}-title`}
    >
      <h3 id={`${props.id}-title`} ref={heading} tabIndex={-1} style={{ fontSize: '1.05rem', marginTop: 0 }}>
        {t('disputeTitle', { what: props.what })}
      </h3>
      <p class="muted">{t('disputeHelp')}</p>
      <ErrorNotice error={error} />
      <fieldset aria-describedby={problems.kind ? `${ids.kind}-error` : undefined}>
        <legend>{t('disputeKind')}</legend>
        {KINDS.map(([value, key]) => (
          <label class="inline" key={value}>
            <input
              id={`${ids.kind}-${value}`}
              type="radio"
              name={ids.kind}
              value={value}
              checked={kind === value}
              aria-invalid={problems.kind !== undefined}
              onChange={() => {
                setKind(value);
                setProblems((p) => without(p, 'kind'));
              }}
            />
            {t(key)}
          </label>
        ))}
        <FieldErrors id={ids.kind} problems={problems.kind ?? []} />
      </fieldset>
      <TextField
        id={ids.text}
        label={t('disputeText', { max: TEXT_MAX })}
        rows={4}
        required
        value={text}
        onValue={(v) => {
          setText(v);
          if (problems.text) setProblems((p) => without(p, 'text'));
        }}
        problems={problems.text ?? []}
      />
      <label for={ids.files}>{t('disputeFiles')}</label>
      <input
        id={ids.files}
        type="file"
        multiple
        accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
        aria-invalid={problems.files !== undefined}
        aria-describedby={`${ids.files}-error`}
        onChange={(e) => {
          setFiles(Array.from(e.currentTarget.files ?? []));
          setProblems((p) => without(p, 'files'));
        }}
      />
      <FieldErrors id={ids.files} problems={problems.files ?? []} />
      <button class="primary" type="submit" disabled={sending}>
        {sending ? t('disputeSending') : t('disputeSend')}
      </button>
      <button class="secondary-button" type="button" onClick={props.onCancel}>
        {t('cancel')}
      </button>
    </form>
  );
}

/**
 * "我要纠错" beside a record: opens the form under it. Nothing at a node (the hub takes corrections), nor beside a
 * record that cannot be disputed. `describedBy`: the id of the record's own words, which name the button.
 */
export function Dispute(props: {
  evidence: Evidence;
  what: string;
  describedBy: string;
  onOpenList?: (() => void) | undefined;
}) {
  const { t, site } = useCitizen();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const id = `dispute${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  if (site?.role !== 'hub' || !disputable(props.evidence)) return null;
  return (
    <>
      <button
        ref={button}
        class="link"
        type="button"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-describedby={props.describedBy}
        onClick={() => {
          setOpen(!open);
        }}
      >
        {t('dispute')}
      </button>
      {open && (
        <DisputeForm
          evidence={props.evidence}
          what={props.what}
          id={id}
          onOpenList={props.onOpenList}
          onCancel={() => {
            setOpen(false);
            button.current?.focus();
          }}
        />
      )}
    </>
  );
}
