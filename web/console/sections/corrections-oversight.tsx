/** The corrections' oversight: per owner, a chart of open, overdue and escalated tickets and median times, and a table. */
import type { OversightAnswer } from '../../../src/corrections/owner-corrections.routes.ts';
import type { ApiError } from '../../shared/api.ts';
import type { Lang } from '../../shared/i18n.ts';
import { ErrorNotice } from '../../shared/ui.tsx';
import type { T } from '../section.ts';
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

const W = 400;
const LABEL_W = 150;
const BAR_W = 170;
const ROW_H = 24;
const HEAD_H = 24;
const GAP = 10;

/**
 * One owner's figures as horizontal bars: the open, overdue and escalated tickets on the count scale, then the two
 * median times on the time scale. One image for assistive technology, named with every figure it shows.
 */
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
  const bars: { key: string; label: string; value: number; text: string; max: number }[] = [
    { key: 'open', label: t('countOpen'), value: f.open, text: String(f.open), max: props.maxCount },
    {
      key: 'overdue',
      label: t('countOverdue'),
      value: f.overdue,
      text: String(f.overdue),
      max: props.maxCount,
    },
    {
      key: 'escalated',
      label: t('countEscalated'),
      value: f.escalated,
      text: String(f.escalated),
      max: props.maxCount,
    },
    {
      key: 'time',
      label: t('medianFirstAnswer'),
      value: f.medianFirstAnswerSeconds ?? 0,
      text: duration(t, f.medianFirstAnswerSeconds),
      max: props.maxSeconds,
    },
    {
      key: 'time',
      label: t('medianResolution'),
      value: f.medianResolutionSeconds ?? 0,
      text: duration(t, f.medianResolutionSeconds),
      max: props.maxSeconds,
    },
  ];
  const y = (i: number) => HEAD_H + i * ROW_H + (i >= 3 ? GAP : 0);
  const height = y(bars.length) + 4;
  return (
    <svg
      class="chart"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${String(W)} ${String(height)}`}
      width={W}
      height={height}
      data-owner={f.owner.id}
    >
      <title>{label}</title>
      <text x={0} y={16} class="chart-title">
        {name}
      </text>
      <line x1={LABEL_W} x2={LABEL_W} y1={HEAD_H - 2} y2={height - 2} class="chart-axis" />
      {bars.map((b, i) => {
        const w = b.value <= 0 ? 0 : Math.max(2, (b.value / b.max) * BAR_W);
        return (
          <g key={`${b.key}-${String(i)}`}>
            <text x={LABEL_W - 6} y={y(i) + 16} text-anchor="end" class="chart-label">
              {b.label}
            </text>
            <rect x={LABEL_W} y={y(i) + 4} width={w} height={ROW_H - 8} rx={2} class={`bar bar-${b.key}`} />
            <text x={LABEL_W + w + 6} y={y(i) + 16} class="chart-value">
              {b.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
