/** Signing in with a credential: the hub answers who it is (`GET /api/v1/console/me`) or why not. */
import { useState } from 'preact/hooks';
import type { ConsoleMeAnswer } from '../../src/console/console.routes.ts';
import { ApiError, call } from '../shared/api.ts';
import { ErrorNotice, TextField } from '../shared/ui.tsx';
import type { T } from './section.ts';

export function SignIn(props: { t: T; onSignedIn: (token: string, me: ConsoleMeAnswer) => void }) {
  const { t } = props;
  const [credential, setCredential] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        const token = credential.trim();
        call<ConsoleMeAnswer>('GET', '/api/v1/console/me', { token }).then(
          (me) => {
            props.onSignedIn(token, me);
          },
          (err: unknown) => {
            if (err instanceof ApiError) setError(err);
          },
        );
      }}
    >
      <h2>{t('signInTitle')}</h2>
      <p class="muted">{t('signInHelp')}</p>
      <ErrorNotice error={error} />
      <TextField
        id="credential"
        label={t('credential')}
        type="password"
        autocomplete="off"
        value={credential}
        onValue={setCredential}
      />
      <button class="primary" type="submit">
        {t('signIn')}
      </button>
    </form>
  );
}
