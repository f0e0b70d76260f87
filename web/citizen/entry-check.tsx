/**
 * 入境信息核验 on the health screen (Q10): the entry the holder declared beside what the immigration feed recorded
 * for their document, and whether they agree. Shown only to a holder who declared an entry.
 */
import { useEffect, useState } from 'preact/hooks';
import { call } from '../shared/api.ts';
import { useCitizen } from './context.ts';

interface EntryCheckAnswer {
  readonly declared: { tripNo: string; date: string; portOfEntry: string } | null;
  readonly recorded: readonly { tripNo: string; date: string; port: string | null }[];
  readonly check: { result: 'matched' | 'mismatch' | 'not_recorded'; fields: ('tripNo' | 'date')[] } | null;
}

export function EntryCheck() {
  const { t } = useCitizen();
  const [answer, setAnswer] = useState<EntryCheckAnswer | null>(null);
  useEffect(() => {
    let current = true;
    call<EntryCheckAnswer>('GET', '/api/v1/me/health/entry').then(
      (a) => {
        if (current) setAnswer(a);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  if (!answer?.declared || !answer.check) return null;
  const { check, declared } = answer;
  const fields = check.fields
    .map((f) => t(f === 'tripNo' ? 'entryFieldTripNo' : 'entryFieldDate'))
    .join('、');
  return (
    <div class="card" data-testid="entry-check" data-result={check.result}>
      <h2>{t('entryCheckTitle')}</h2>
      <p>
        {declared.tripNo} · {declared.date} · {declared.portOfEntry}
      </p>
      <p class={check.result === 'mismatch' ? 'notice error' : 'notice info'}>
        {check.result === 'matched'
          ? t('entryMatched')
          : check.result === 'mismatch'
            ? t('entryMismatch', { fields })
            : t('entryNotRecorded')}
      </p>
      <ul class="plain">
        {answer.recorded.map((r) => (
          <li key={`${r.tripNo}:${r.date}`}>
            {t('entryRecorded', { trip: r.tripNo, date: r.date, port: r.port ?? '—' })}
          </li>
        ))}
      </ul>
    </div>
  );
}
