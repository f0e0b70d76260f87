/**
 * 入境信息核验 on the health screen (Q10): the entry the holder declared beside what the immigration feed recorded
 * for their document, and whether they agree. Shown only to a holder who declared an entry.
 */
import { useCitizen } from './context.ts';

export interface EntryCheckAnswer {
  readonly declared: { tripNo: string; date: string; portOfEntry: string } | null;
  readonly recorded: readonly { tripNo: string; date: string; port: string | null }[];
  readonly check: { result: 'matched' | 'mismatch' | 'not_recorded'; fields: ('tripNo' | 'date')[] } | null;
}

/** Read with the rest of the health screen (health-view.tsx), so that the screen's answers arrive together. */
export function EntryCheck(props: { answer: EntryCheckAnswer }) {
  const { t } = useCitizen();
  const { answer } = props;
  if (!answer.declared || !answer.check) return null;
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
