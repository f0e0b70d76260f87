/** Capacity: this hub process's requests per minute over the last quarter hour, and each feed's lag. */
import type { CapacityAnswer } from '../../../src/console/sections/capacity.routes.ts';
import { formatTime } from '../../shared/i18n.ts';
import { ErrorNotice } from '../../shared/ui.tsx';
import { time, type SectionProps } from '../section.ts';
import { Head } from '../table-head.tsx';
import { useLoad } from '../use-load.ts';

export function Capacity({ t, lang, token }: SectionProps) {
  const { data, error, reload } = useLoad<CapacityAnswer>(token, '/api/v1/console/capacity');
  return (
    <>
      <div class="card table-wrap">
        <h2>{t('capacity')}</h2>
        <ErrorNotice error={error} />
        <button class="secondary-button" type="button" onClick={reload}>
          {t('refresh')}
        </button>
        {data && (
          <>
            <p>{t('inFlight', { n: data.requests.inFlight, limit: data.requests.limit })}</p>
            <table>
              <Head
                labels={[
                  t('minute'),
                  t('requests'),
                  t('errors4xx'),
                  t('errors5xx'),
                  t('busy'),
                  'p50 ms',
                  'p99 ms',
                ]}
              />
              <tbody>
                {data.requests.minutes
                  .slice(-15)
                  .reverse()
                  .map((m) => (
                    <tr key={m.minute}>
                      <td>{formatTime(lang, m.minute, false)}</td>
                      <td>{m.requests}</td>
                      <td>{m.status['4xx']}</td>
                      <td>{m.status['5xx']}</td>
                      <td>{m.busy}</td>
                      <td>{m.p50Ms ?? '—'}</td>
                      <td>{m.p99Ms ?? '—'}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </>
        )}
      </div>
      <div class="card table-wrap">
        <h2>{t('feedLag')}</h2>
        <table>
          <Head labels={[t('source'), t('lastBatch'), t('lag')]} />
          <tbody>
            {data?.feedLag.map((f) => (
              <tr key={f.source}>
                <td>{f.source}</td>
                <td>{f.lastBatchAt ? time(lang, f.lastBatchAt) : t('never')}</td>
                <td>{f.lagSeconds === null ? '—' : `${Math.round(f.lagSeconds / 60)} min`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
