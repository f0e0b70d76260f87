/** Real-name sign-in: document and name, checked at the field before the hub is asked. */
import { useState } from 'preact/hooks';
import { ApiError, call } from '../shared/api.ts';
import { byField, ErrorNotice, FieldErrors } from '../shared/ui.tsx';
import { useCitizen } from './context.ts';

const ID_NUMBER = /^\d{17}[\dXx]$/;

export function SignIn(props: { onSignedIn: (documentType: 'id_card' | 'passport') => void }) {
  const { t, lang } = useCitizen();
  const [documentType, setDocumentType] = useState<'id_card' | 'passport'>('id_card');
  const [documentNumber, setDocumentNumber] = useState('');
  const [name, setName] = useState('');
  const [nationality, setNationality] = useState('');
  const [problems, setProblems] = useState<Readonly<Record<string, readonly string[]>>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  function check(): Record<string, string[]> {
    const p: Record<string, string[]> = {};
    if (documentNumber.trim() === '') p.documentNumber = [t('required')];
    else if (documentType === 'id_card' && !ID_NUMBER.test(documentNumber.trim()))
      p.documentNumber = [t('idFormat')];
    if (name.trim() === '') p.name = [t('required')];
    if (documentType === 'passport' && !/^[A-Za-z]{3}$/.test(nationality.trim()))
      p.nationality = [t('required')];
    return p;
  }

  async function submit(e: Event) {
    e.preventDefault();
    const local = check();
    setProblems(local);
    setError(null);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      await call('POST', '/api/v1/auth/real-name', {
        body: {
          documentType,
          documentNumber: documentNumber.trim(),
          name: name.trim(),
          ...(documentType === 'passport' ? { nationality: nationality.trim().toUpperCase() } : {}),
        },
      });
      props.onSignedIn(documentType);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblems(byField(lang, err.details));
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const invalid = (f: string) => (problems[f]?.length ?? 0) > 0;
  return (
    <form class="card" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('signInTitle')}</h2>
      <p class="muted secondary">{t('signInHelp')}</p>
      <ErrorNotice error={error} />
      <label for="documentType">{t('documentType')}</label>
      <select
        id="documentType"
        value={documentType}
        onChange={(e) => {
          setDocumentType(e.currentTarget.value === 'passport' ? 'passport' : 'id_card');
        }}
      >
        <option value="id_card">{t('idCard')}</option>
        <option value="passport">{t('passport')}</option>
      </select>
      <label for="documentNumber">{t('documentNumber')}</label>
      <input
        id="documentNumber"
        autocomplete="off"
        value={documentNumber}
        aria-invalid={invalid('documentNumber')}
        aria-describedby="documentNumber-error"
        onInput={(e) => {
          setDocumentNumber(e.currentTarget.value);
        }}
      />
      <FieldErrors id="documentNumber" problems={problems.documentNumber ?? []} />
      <label for="name">{t('name')}</label>
      <input
        id="name"
        autocomplete="name"
        value={name}
        aria-invalid={invalid('name')}
        aria-describedby="name-error"
        onInput={(e) => {
          setName(e.currentTarget.value);
        }}
      />
      <FieldErrors id="name" problems={problems.name ?? []} />
      {documentType === 'passport' && (
        <>
          <label for="nationality">{t('nationality')}</label>
          <input
            id="nationality"
            maxLength={3}
            value={nationality}
            aria-invalid={invalid('nationality')}
            aria-describedby="nationality-error"
            onInput={(e) => {
              setNationality(e.currentTarget.value);
            }}
          />
          <FieldErrors id="nationality" problems={problems.nationality ?? []} />
        </>
      )}
      <button class="primary" type="submit" disabled={busy}>
        {busy ? t('signingIn') : t('signIn')}
      </button>
    </form>
  );
}
