/**
 * The scanner's look-ups that need the network: on a provincial node, a traveller's national status with the consent
 * token they made; at any checkpoint, a person looked up by the document and name on their card by checkpoint staff,
 * and their manual check recorded (docs/checkpoint-lookups.md) — the code is never the only way through.
 */
import { useState } from 'preact/hooks';
import { formatTime, type Lang } from '../shared/i18n.ts';
import { ErrorNotice, TextField } from '../shared/ui.tsx';
import { ApiError, call } from '../shared/api.ts';
import type { Key } from './strings.ts';

export type T = (key: Key, vars?: Readonly<Record<string, string | number>>) => string;

interface HolderSummary {
  readonly colour: 'green' | 'yellow' | 'red';
  readonly maskedName: string;
  readonly reasons: readonly { code: string; text: string; textEn: string }[];
  readonly asOf: string;
}

/** The staff's credential, for this browser tab only. */
const STAFF_TOKEN = 'ymt.scan.staffToken';

function StatusSummary(props: { summary: HolderSummary; t: T; lang: Lang; testId: string }) {
  const { summary, t, lang } = props;
  return (
    <div data-testid={props.testId}>
      <p>
        <span class={`colour-word ${summary.colour}`}>{t(summary.colour)}</span> {summary.maskedName}
      </p>
      <ul class="plain">
        {summary.reasons.map((r) => (
          <li key={r.code}>{lang === 'zh' ? r.text : r.textEn}</li>
        ))}
      </ul>
      <p class="muted">{t('asOf', { time: formatTime(lang, summary.asOf) })}</p>
    </div>
  );
}

/** On a provincial node: a traveller's national status from the hub, with the consent token they made. */
export function ConsentLookup(props: { t: T; lang: Lang }) {
  const { t, lang } = props;
  const [token, setToken] = useState('');
  const [summary, setSummary] = useState<HolderSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <section class="card" aria-labelledby="consent-title">
      <h2 id="consent-title">{t('consentTitle')}</h2>
      <p class="muted">{t('consentHelp')}</p>
      <TextField id="consent-token" label={t('consentToken')} value={token} onValue={setToken} />
      <button
        class="secondary-button"
        type="button"
        disabled={token.trim() === ''}
        onClick={() => {
          setError(null);
          setSummary(null);
          call<HolderSummary>('POST', '/api/v1/checkpoint/national-status', {
            body: { consentToken: token.trim() },
          }).then(setSummary, (e: unknown) => {
            if (e instanceof ApiError) setError(e);
          });
        }}
      >
        {t('consentCheck')}
      </button>
      <ErrorNotice error={error} />
      {summary && <StatusSummary summary={summary} t={t} lang={lang} testId="national-status" />}
    </section>
  );
}

interface Lookup extends HolderSummary {
  readonly id: string;
  readonly declared: boolean;
}

/** Checkpoint staff: a person present, looked up by their card; the manual check recorded. */
export function DocumentCheck(props: { t: T; lang: Lang }) {
  const { t, lang } = props;
  const [staffToken, setStaffToken] = useState(sessionStorage.getItem(STAFF_TOKEN) ?? '');
  const [typedToken, setTypedToken] = useState('');
  const [documentType, setDocumentType] = useState<'id_card' | 'passport'>('id_card');
  const [fields, setFields] = useState({ documentNumber: '', nationality: '', name: '' });
  const [found, setFound] = useState<Lookup | null>(null);
  const [decided, setDecided] = useState<'pass' | 'refuse' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const failed = (e: unknown) => {
    if (e instanceof ApiError) setError(e);
  };
  const field = (key: keyof typeof fields, label: Key) => (
    <TextField
      id={`doc-${key}`}
      label={t(label)}
      value={fields[key]}
      onValue={(v) => {
        setFields({ ...fields, [key]: v });
      }}
    />
  );
  if (staffToken === '')
    return (
      <section class="card" aria-labelledby="doc-title" data-testid="document-check">
        <h2 id="doc-title">{t('docTitle')}</h2>
        <p class="muted">{t('docCredentialHelp')}</p>
        <TextField id="staff-token" label={t('docCredential')} value={typedToken} onValue={setTypedToken} />
        <button
          class="secondary-button"
          type="button"
          disabled={!typedToken.trim().startsWith('ymtc_')}
          onClick={() => {
            sessionStorage.setItem(STAFF_TOKEN, typedToken.trim());
            setStaffToken(typedToken.trim());
          }}
        >
          {t('docCredentialSave')}
        </button>
      </section>
    );
  return (
    <section class="card" aria-labelledby="doc-title" data-testid="document-check">
      <h2 id="doc-title">{t('docTitle')}</h2>
      <label for="doc-type">{t('docType')}</label>
      <select
        id="doc-type"
        value={documentType}
        onChange={(e) => {
          setDocumentType(e.currentTarget.value === 'passport' ? 'passport' : 'id_card');
        }}
      >
        <option value="id_card">{t('docIdCard')}</option>
        <option value="passport">{t('docPassport')}</option>
      </select>
      {field('documentNumber', 'docNumber')}
      {documentType === 'passport' && field('nationality', 'docNationality')}
      {field('name', 'docName')}
      <button
        class="primary"
        type="button"
        disabled={fields.documentNumber.trim() === '' || fields.name.trim() === ''}
        onClick={() => {
          setError(null);
          setFound(null);
          setDecided(null);
          const body = {
            documentType,
            documentNumber: fields.documentNumber.trim(),
            name: fields.name.trim(),
            ...(documentType === 'passport' ? { nationality: fields.nationality.trim().toUpperCase() } : {}),
          };
          call<Lookup>('POST', '/api/v1/checkpoint/lookups', { body, token: staffToken }).then(
            setFound,
            failed,
          );
        }}
      >
        {t('docLookUp')}
      </button>
      <ErrorNotice error={error} />
      {found && (
        <>
          <StatusSummary summary={found} t={t} lang={lang} testId="document-status" />
          {!found.declared && <p class="notice busy">{t('docNotDeclared')}</p>}
          {decided === null ? (
            <div class="row">
              {(['pass', 'refuse'] as const).map((d) => (
                <button
                  key={d}
                  class={d === 'pass' ? 'primary' : 'secondary-button'}
                  type="button"
                  onClick={() => {
                    call('POST', `/api/v1/checkpoint/lookups/${found.id}/decision`, {
                      body: { decision: d },
                      token: staffToken,
                    }).then(() => {
                      setDecided(d);
                    }, failed);
                  }}
                >
                  {t(d === 'pass' ? 'docPass' : 'docRefuse')}
                </button>
              ))}
            </div>
          ) : (
            <p role="status" data-testid="document-decided">
              {t(decided === 'pass' ? 'docPassed' : 'docRefused')}
            </p>
          )}
        </>
      )}
    </section>
  );
}
