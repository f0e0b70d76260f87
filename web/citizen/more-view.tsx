/**
 * Linked provincial codes, consent tokens, non-recognition reports (12345) and signing out. The first three are
 * the hub's (a province's node does not serve them): at a node, the screen says they are on the national platform.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call } from '../shared/api.ts';
import { formatTime, fromBeijingInput } from '../shared/i18n.ts';
import { ErrorNotice, TextField } from '../shared/ui.tsx';
import { colourWord, reasonText, useCitizen } from './context.ts';
import { MyCorrections } from './corrections-list.tsx';
import { sourceWord, type Linked } from './linked-codes.tsx';
import { atNode } from './site.ts';
import { AccessHistory, Guardians } from './access.tsx';

interface Province {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
}
interface Report {
  readonly ticketId: string;
  readonly status: 'open' | 'answered';
  readonly provinceName: string;
  readonly answer: string | null;
  readonly hotlineText: string;
  readonly hotlineTextEn: string;
}

function useProvinces(): readonly Province[] {
  const [list, setList] = useState<readonly Province[]>([]);
  useEffect(() => {
    call<Province[]>('GET', '/api/v1/provinces').then(setList, () => undefined);
  }, []);
  return list;
}

/** `focus`: opened from the code screen's link, so the heading takes the focus and comes into view. */
function LinkedCodes(props: { focus: boolean }) {
  const { t, lang } = useCitizen();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!props.focus) return;
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'start' });
  }, [props.focus]);
  const [data, setData] = useState<Linked | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const reload = () => {
    call<Linked>('GET', '/api/v1/me/linked-codes').then(setData, (e: unknown) => {
      if (e instanceof ApiError) setError(e);
    });
  };
  useEffect(reload, []);
  const act = (p: Promise<unknown>) => {
    setError(null);
    p.then(reload, (e: unknown) => {
      if (e instanceof ApiError) setError(e);
    });
  };
  return (
    <section class="card" aria-labelledby="linked-title">
      <h2 id="linked-title" ref={heading} tabIndex={-1}>
        {t('linkedCodes')}
      </h2>
      <ErrorNotice error={error} />
      {data && (
        <ul class="plain">
          <li>
            {t('nationalCode')}:{' '}
            <span class={`colour-word ${data.national.colour}`}>{colourWord(t, data.national.colour)}</span>
          </li>
          {data.linked.map((l) => (
            <li key={l.province}>
              {lang === 'zh' ? l.name : l.nameEn}:{' '}
              {l.colour ? <span class={`colour-word ${l.colour}`}>{colourWord(t, l.colour)}</span> : '—'}{' '}
              <span class="muted">({sourceWord(t, l.source)})</span>{' '}
              {l.reasons?.map((r) => reasonText(lang, r)).join('；')}{' '}
              <button
                class="secondary-button"
                type="button"
                onClick={() => {
                  act(call('DELETE', `/api/v1/me/linked-codes/${l.province}`));
                }}
              >
                {t('unlink')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="muted">{t('linkHelp')}</p>
      <TextField id="link-code" label={t('codeText')} rows={2} value={text} onValue={setText} />
      <button
        class="secondary-button"
        type="button"
        disabled={text.trim() === ''}
        onClick={() => {
          act(
            call('POST', '/api/v1/me/linked-codes', { body: { code: text.trim() } }).then(() => {
              setText('');
            }),
          );
        }}
      >
        {t('link')}
      </button>
    </section>
  );
}

function Consent(props: { provinces: readonly Province[] }) {
  const { t, lang } = useCitizen();
  const [province, setProvince] = useState('110000');
  const [minutes, setMinutes] = useState('30');
  const [granted, setGranted] = useState<{ token: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <section class="card" aria-labelledby="consent-title">
      <h2 id="consent-title">{t('consentTitle')}</h2>
      <p class="muted">{t('consentHelp')}</p>
      <ErrorNotice error={error} />
      <label for="consent-province">{t('province')}</label>
      <select
        id="consent-province"
        value={province}
        onChange={(e) => {
          setProvince(e.currentTarget.value);
        }}
      >
        {props.provinces.map((p) => (
          <option key={p.code} value={p.code}>
            {lang === 'zh' ? p.name : p.nameEn}
          </option>
        ))}
      </select>
      <TextField
        id="consent-minutes"
        label={t('minutes')}
        inputMode="numeric"
        value={minutes}
        onValue={setMinutes}
      />
      <button
        class="secondary-button"
        type="button"
        onClick={() => {
          setError(null);
          call<{ token: string; expiresAt: string }>('POST', '/api/v1/me/consents', {
            body: { province, minutes: Number(minutes) },
          }).then(setGranted, (e: unknown) => {
            if (e instanceof ApiError) setError(e);
          });
        }}
      >
        {t('grant')}
      </button>
      {granted && (
        <p>
          {t('consentToken', { time: formatTime(lang, granted.expiresAt) })}:{' '}
          <code style={{ wordBreak: 'break-all' }}>{granted.token}</code>
        </p>
      )}
    </section>
  );
}

function Reports() {
  const { t, lang } = useCitizen();
  const [reports, setReports] = useState<readonly Report[]>([]);
  const [region, setRegion] = useState('');
  const [at, setAt] = useState('');
  const [checkpointId, setCheckpointId] = useState('');
  const [issuer, setIssuer] = useState('CN');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const reload = () => {
    call<{ reports: Report[] }>('GET', '/api/v1/me/reports').then(
      (r) => {
        setReports(r.reports);
      },
      () => undefined,
    );
  };
  useEffect(reload, []);
  const fields: readonly [string, string, string, (v: string) => void][] = [
    ['report-region', t('reportRegion'), region, setRegion],
    ['report-checkpoint', t('checkpointId'), checkpointId, setCheckpointId],
    ['report-issuer', t('reportIssuer'), issuer, setIssuer],
    ['report-description', t('description'), description, setDescription],
  ];
  return (
    <section class="card" aria-labelledby="report-title">
      <h2 id="report-title">{t('reportTitle')}</h2>
      <p class="muted">{t('reportHelp')}</p>
      <ErrorNotice error={error} />
      <TextField id="report-at" label={t('reportAt')} type="datetime-local" value={at} onValue={setAt} />
      {fields.map(([id, label, value, set]) => (
        <TextField key={id} id={id} label={label} value={value} onValue={set} />
      ))}
      <button
        class="secondary-button"
        type="button"
        onClick={() => {
          setError(null);
          call('POST', '/api/v1/me/reports/non-recognition', {
            body: {
              region: region.trim(),
              // Now when left empty; an unreadable time goes as it is, for the hub to refuse with its reason.
              at: at === '' ? new Date().toISOString() : (fromBeijingInput(at) ?? at),
              checkpointId: checkpointId.trim(),
              issuer: issuer.trim(),
              ...(description.trim() === '' ? {} : { description: description.trim() }),
            },
          }).then(reload, (e: unknown) => {
            if (e instanceof ApiError) setError(e);
          });
        }}
      >
        {t('send')}
      </button>
      <h3>{t('myReports')}</h3>
      {reports.length === 0 ? (
        <p>{t('nothingYet')}</p>
      ) : (
        <ul class="plain">
          {reports.map((r) => (
            <li key={r.ticketId}>
              {t('ticketLine', { id: r.ticketId, status: r.status, province: r.provinceName })}{' '}
              {r.answer !== null && t('answer', { answer: r.answer })}{' '}
              <span class="muted">{lang === 'zh' ? r.hotlineText : r.hotlineTextEn}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SignOut(props: { onSignedOut: () => void }) {
  const { t } = useCitizen();
  return (
    <button
      class="primary"
      type="button"
      onClick={() => {
        sessionStorage.clear();
        call('POST', '/api/v1/auth/sign-out').then(props.onSignedOut, props.onSignedOut);
      }}
    >
      {t('signOut')}
    </button>
  );
}

function HubFunctions(props: { toLinked: boolean; toCorrections: boolean }) {
  const provinces = useProvinces();
  return (
    <>
      <LinkedCodes focus={props.toLinked} />
      <MyCorrections focus={props.toCorrections} />
      <Consent provinces={provinces} />
      <Reports />
      <Guardians />
      <AccessHistory />
    </>
  );
}

export function MoreView(props: { toLinked: boolean; toCorrections?: boolean; onSignedOut: () => void }) {
  const { t, site } = useCitizen();
  return (
    <>
      {atNode(site) && <p class="card">{t('nodeMoreHelp')}</p>}
      {site?.role === 'hub' && (
        <HubFunctions toLinked={props.toLinked} toCorrections={props.toCorrections ?? false} />
      )}
      <SignOut onSignedOut={props.onSignedOut} />
    </>
  );
}
