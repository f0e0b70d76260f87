/** Pieces every face shows: the header bar with the language switch, the busy and error notices. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiError, FieldProblem } from './api.ts';
import { messageOf, useLang } from './i18n.ts';

export function HeaderBar(props: { title: string; children?: ComponentChildren }) {
  const { lang, setLang } = useLang();
  return (
    <header class="bar">
      <h1>{props.title}</h1>
      {props.children}
      <button
        type="button"
        onClick={() => {
          setLang(lang === 'zh' ? 'en' : 'zh');
        }}
        lang={lang === 'zh' ? 'en' : 'zh-CN'}
        aria-label={lang === 'zh' ? 'Switch to English' : '切换到中文'}
      >
        {lang === 'zh' ? 'English' : '中文'}
      </button>
    </header>
  );
}

/** The coded error in the current language, with its code for the helpdesk. */
export function ErrorNotice(props: { error: ApiError | null }) {
  const { lang } = useLang();
  if (!props.error) return null;
  return (
    <div class="notice error" role="alert">
      {messageOf(lang, props.error)} <span class="muted">({props.error.code})</span>
    </div>
  );
}

/** "系统繁忙…" with the seconds until the automatic retry. */
export function BusyNotice(props: {
  retryAt: number | null;
  text: string;
  retryText: (s: number) => string;
}) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (props.retryAt === null) return undefined;
    const t = setInterval(() => {
      setNow(Date.now());
    }, 500);
    return () => {
      clearInterval(t);
    };
  }, [props.retryAt]);
  if (props.retryAt === null) return null;
  const seconds = Math.max(0, Math.ceil((props.retryAt - now) / 1000));
  return (
    <div class="notice busy" role="status" data-testid="busy">
      <div>{props.text}</div>
      <div class="muted">{props.retryText(seconds)}</div>
    </div>
  );
}

/** The problems the hub named for one field (all of them), under that field. */
export function FieldErrors(props: { id: string; problems: readonly string[] }) {
  if (props.problems.length === 0) return null;
  return (
    <div class="field-error" id={`${props.id}-error`} role="alert">
      {props.problems.join('；')}
    </div>
  );
}

/** Groups a response's field problems (and the client's own checks) by field, in the current language. */
export function byField(
  lang: 'zh' | 'en',
  problems: readonly FieldProblem[],
): Readonly<Record<string, readonly string[]>> {
  const out: Record<string, string[]> = {};
  for (const p of problems) {
    const field = p.field.replace(/^\/?body\/?/, '').split(/[/.[]/)[0] ?? p.field;
    (out[field] ??= []).push(lang === 'zh' ? p.message : p.messageEn);
  }
  return out;
}

export interface TextFieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  /** The problems to show under the field; the field is marked invalid when there is one. */
  readonly problems?: readonly string[];
  readonly type?: 'text' | 'tel' | 'password' | 'datetime-local';
  readonly inputMode?: 'numeric' | 'decimal' | 'tel';
  readonly maxLength?: number;
  readonly autocomplete?: string;
  /** The field must be filled (announced as required; the form's own check says so at the field). */
  readonly required?: boolean;
  /** A multi-line field of this many rows. */
  readonly rows?: number;
  readonly class?: string;
  readonly monospace?: boolean;
}

/** A labelled text field with its problems under it, tied together for screen readers. */
export function TextField(props: TextFieldProps) {
  const problems = props.problems ?? [];
  const common = {
    id: props.id,
    value: props.value,
    class: props.class,
    required: props.required,
    'aria-invalid': problems.length > 0,
    'aria-describedby': props.problems ? `${props.id}-error` : undefined,
    style: props.monospace ? { fontFamily: 'monospace' } : undefined,
  };
  return (
    <>
      <label for={props.id} class={props.class}>
        {props.label}
      </label>
      {props.rows === undefined ? (
        <input
          {...common}
          // Preact types each input kind apart (tsc needs the assertion, the linter sees through it); the
          // attributes used here are common to all of them.
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
          type={(props.type ?? 'text') as 'text'}
          inputMode={props.inputMode}
          maxLength={props.maxLength}
          autocomplete={props.autocomplete}
          onInput={(e) => {
            props.onValue(e.currentTarget.value);
          }}
        />
      ) : (
        <textarea
          {...common}
          rows={props.rows}
          onInput={(e) => {
            props.onValue(e.currentTarget.value);
          }}
        />
      )}
      {props.problems && <FieldErrors id={props.id} problems={problems} />}
    </>
  );
}
