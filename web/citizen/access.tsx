/**
 * The holder's side of 家人代办 and the access history (docs/family.md): who acts for me, ended here where the
 * rules allow; and who else looked at or acted on my data, newest first. On the hub only.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../shared/api.ts';
import { formatTime } from '../shared/i18n.ts';
import { ErrorNotice } from '../shared/ui.tsx';
import type { AccessEntryAnswer } from '../../src/access/access-history.routes.ts';
import type { FamilyLink } from '../../src/family/family.routes.ts';
import { useCitizen } from './context.ts';
import { relationshipWord } from './family-view.tsx';

type Guardian = FamilyLink & { canEnd: boolean };

export function Guardians() {
  const { t } = useCitizen();
  const [list, setList] = useState<Guardian[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    call<{ guardians: Guardian[] }>('GET', '/api/v1/me/guardians').then(
      (r) => {
        if (current) setList(r.guardians);
      },
      (e: unknown) => {
        if (current && e instanceof ApiError) setError(e);
      },
    );
    return () => {
      current = false;
    };
  }, [generation]);
  return (
    <section class="card" aria-labelledby="guardians-title">
      <h2 id="guardians-title">{t('guardiansTitle')}</h2>
      <ErrorNotice error={error} />
      {list?.length === 0 && <p class="muted">{t('guardiansNone')}</p>}
      <ul>
        {list?.map((g) => (
          <li key={g.id}>
            {g.maskedName} · {relationshipWord(t, g.relationship)}{' '}
            {g.canEnd ? (
              <button
                class="secondary-button"
                type="button"
                onClick={() => {
                  call('DELETE', `/api/v1/me/guardians/${g.id}`).then(
                    () => {
                      setGeneration(generation + 1);
                    },
                    (e: unknown) => {
                      if (e instanceof ApiError) setError(e);
                    },
                  );
                }}
              >
                {t('guardiansEnd')}
              </button>
            ) : (
              <span class="muted">{t('guardiansMinor')}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function AccessHistory() {
  const { t, lang } = useCitizen();
  const [entries, setEntries] = useState<AccessEntryAnswer[] | null>(null);
  const [next, setNext] = useState<number | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const load = (before: number | undefined) => {
    call<{ entries: AccessEntryAnswer[]; next?: number }>(
      'GET',
      `/api/v1/me/access-history${before === undefined ? '' : `?before=${String(before)}`}`,
    ).then(
      (r) => {
        setEntries((old) => [...(before === undefined ? [] : (old ?? [])), ...r.entries]);
        setNext(r.next);
      },
      (e: unknown) => {
        if (e instanceof ApiError) setError(e);
      },
    );
  };
  useEffect(() => {
    load(undefined);
  }, []);
  return (
    <section class="card" aria-labelledby="access-title">
      <h2 id="access-title">{t('accessTitle')}</h2>
      <p class="muted">{t('accessHelp')}</p>
      <ErrorNotice error={error} />
      {entries?.length === 0 && <p>{t('accessNone')}</p>}
      <ul data-testid="access-history">
        {entries?.map((e, i) => (
          <li key={`${e.at}:${String(i)}`}>
            {formatTime(lang, e.at)} · {lang === 'zh' ? e.actor : e.actorEn} (
            {lang === 'zh' ? e.roleText : e.roleTextEn}) · {lang === 'zh' ? e.purposeText : e.purposeTextEn}
          </li>
        ))}
      </ul>
      {next !== undefined && (
        <button
          class="secondary-button"
          type="button"
          onClick={() => {
            load(next);
          }}
        >
          {t('accessMore')}
        </button>
      )}
    </section>
  );
}
