/**
 * Real-name sign-in: document and name, checked at the field before the hub is asked. At a province's node the
 * answer is a 202: the hub texted the holder a code, which the second screen asks for (confirm-code.tsx).
 */
import { useState } from 'preact/hooks';
import type { ConfirmationAnswer } from '../../src/auth/auth.routes.ts';
import { ApiError, call } from '../shared/api.ts';
import { byField, ErrorNotice, TextField } from '../shared/ui.tsx';
import { ConfirmCode } from './confirm-code.tsx';
import { useCitizen } from './context.ts';
import { atNode } from './site.ts';

const ID_NUMBER = /^\d{17}[\dXx]$/;

/** A session (the hub; the cookie carries it) or, at a node, the code to wait for. */
type SignInAnswer = ConfirmationAnswer | { readonly tokenType: 'Bearer' };

function needsConfirmation(a: SignInAnswer): a is ConfirmationAnswer {
  return 'confirmationRequired' in a;
}

export function SignIn(props: { onSignedIn: (documentType: 'id_card' | 'passport') => void }) {
  const { t, lang, site } = useCitizen();
  const [documentType, setDocumentType] = useState<'id_card' | 'passport'>('id_card');
  const [documentNumber, setDocumentNumber] = useState('');
  const [name, setName] = useState('');
  const [nationality, setNationality] = useState('');
  const [problems, setProblems] = useState<Readonly<Record<string, readonly string[]>>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<ConfirmationAnswer | null>(null);

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

  /** Asks the hub; signed in, or the confirmation screen for the code it texted. */
  async function send(): Promise<void> {
    const answer = await call<SignInAnswer>('POST', '/api/v1/auth/real-name', {
      body: {
        documentType,
        documentNumber: documentNumber.trim(),
        name: name.trim(),
        ...(documentType === 'passport' ? { nationality: nationality.trim().toUpperCase() } : {}),
      },
    });
    if (needsConfirmation(answer)) setPending(answer);
    else props.onSignedIn(documentType);
  }

  async function submit(e: Event) {
    e.preventDefault();
    const local = check();
    setProblems(local);
    setError(null);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      await send();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblems(byField(lang, err.details));
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (pending)
    return (
      <ConfirmCode
        key={pending.challengeId}
        challenge={pending}
        onConfirmed={() => {
          props.onSignedIn(documentType);
        }}
        onResend={send}
        onBack={() => {
          setPending(null);
          setError(null);
          setProblems({});
        }}
      />
    );

  return (
    <form class="card" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('signInTitle')}</h2>
      <p class="muted secondary">{t('signInHelp')}</p>
      {atNode(site) && <p class="muted">{t('signInNodeHelp')}</p>}
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
      <TextField
        id="documentNumber"
        label={t('documentNumber')}
        autocomplete="off"
        value={documentNumber}
        onValue={setDocumentNumber}
        problems={problems.documentNumber ?? []}
      />
      <TextField
        id="name"
        label={t('name')}
        autocomplete="name"
        value={name}
        onValue={setName}
        problems={problems.name ?? []}
      />
      {documentType === 'passport' && (
        <TextField
          id="nationality"
          label={t('nationality')}
          maxLength={3}
          value={nationality}
          onValue={setNationality}
          problems={problems.nationality ?? []}
        />
      )}
      <button class="primary" type="submit" disabled={busy}>
        {busy ? t('signingIn') : t('signIn')}
      </button>
    </form>
  );
}
