/** The corrections' oversight: per owner, a chart of open, overdue and escalated tickets and median times, and a table. */
import type { OversightAnswer } from '../../../src/corrections/owner-corrections.routes.ts';
import type { ApiError } from '../../shared/api.ts';
import type { Lang } from '../../shared/i18n.ts';
import { ErrorNotice } from '../../shared/ui.tsx';
import type { T } from '../section.ts';
import { BarChart, type Bar } from '../bar-chart.tsx';
import { Head } from '../table-head.tsx';
import { duration, ownerName, type Figures } from './corrections-common.ts';

/** The oversight: one chart per owner, and the figures as a table. */
export function Oversight(props: { t: T; lang: Lang; data: OversightAnswer | null; error: ApiError | null }) {
  const { t, lang, data } = props;
  const owners = data?.owners ?? [];
  // One scale for every owner's counts and one for their times, so that the charts compare.
  const maxCount = Math.max(1, ...owners.flatMap((o) => [o.open, o.overdue, o.escalated]));
  const maxSeconds = Math.max(
    1,
    ...owners.flatMap((o) => [o.medianFirstAnswerSeconds ?? 0, o.medianResolutionSeconds ?? 0]),
  );
  return (
    <div class="card table-wrap" data-testid="oversight">
      <h2>{t('oversight')}</h2>
      <p class="muted">{t('oversightHelp')}</p>
      <ErrorNotice error={props.error} />
      {data?.owners.length === 0 && <p>{t('none')}</p>}
      <div class="charts">
        {owners.map((o) => (
          <OwnerChart key={o.owner.id} t={t} lang={lang} f={o} maxCount={maxCount} maxSeconds={maxSeconds} />
        ))}
      </div>
      {owners.length > 0 && (
        <table>
          <Head
            labels={[
              t('owner'),
              t('total'),
              t('countOpen'),
              t('countOverdue'),
              t('countEscalated'),
              t('medianFirstAnswer'),
              t('medianResolution'),
            ]}
          />
          <tbody>
            {owners.map((o) => (
              <tr key={o.owner.id}>
                <td>{ownerName(lang, o.owner)}</td>
                <td>{o.total}</td>
                <td>{o.open}</td>
                <td>{o.overdue}</td>
                <td>{o.escalated}</td>
                <td>{duration(t, o.medianFirstAnswerSeconds)}</td>
                <td>{duration(t, o.medianResolutionSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** One owner's figures: the open, overdue and escalated tickets on the count scale, then the two median times. */
function OwnerChart(props: { t: T; lang: Lang; f: Figures; maxCount: number; maxSeconds: number }) {
  const { t, lang, f } = props;
  const name = ownerName(lang, f.owner);
  const label = t('chartLabel', {
    owner: name,
    total: f.total,
    open: f.open,
    overdue: f.overdue,
    escalated: f.escalated,
    first: duration(t, f.medianFirstAnswerSeconds),
    resolution: duration(t, f.medianResolutionSeconds),
  });
  const count = (key: 'open' | 'overdue' | 'escalated', text: Parameters<T>[0]) => ({
    key,
    label: t(text),
    value: f[key],
    text: String(f[key]),
    max: props.maxCount,
  });
  const bars: Bar[] = [
    count('open', 'countOpen'),
    count('overdue', 'countOverdue'),
    count('escalated', 'countEscalated'),
    {
      key: 'time',
      label: t('medianFirstAnswer'),
      value: f.medianFirstAnswerSeconds ?? 0,
      text: duration(t, f.medianFirstAnswerSeconds),
      max: props.maxSeconds,
      gapBefore: true,
    },
    {
      key: 'time',
      label: t('medianResolution'),
      value: f.medianResolutionSeconds ?? 0,
      text: duration(t, f.medianResolutionSeconds),
      max: props.maxSeconds,
    },
  ];
  return <BarChart title={name} label={label} bars={bars} data={{ owner: f.owner.id }} />;
}
