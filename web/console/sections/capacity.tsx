/**
 * Capacity: this hub process's requests per minute over the last quarter hour; its signals drawn as charts (in
 * flight and shed per priority class, the event loop's delay, rate-limit hits) with the dependencies' state; and
 * each feed's lag.
 */
import type { CapacityAnswer } from '../../../src/console/sections/capacity.routes.ts';
import { formatTime } from '../../shared/i18n.ts';
import { ErrorNotice } from '../../shared/ui.tsx';
import { BarChart, type Bar } from '../bar-chart.tsx';
import type { T } from '../section.ts';
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
      {data && <SignalsView t={t} signals={data.signals} />}
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

type SignalsData = CapacityAnswer['signals'];

const CLASS_WORDS = {
  codes: 'classCodes',
  declarations: 'classDeclarations',
  details: 'classDetails',
  uploads: 'classUploads',
} as const;

/** "label: value" pairs, for a chart's accessible name. */
const listed = (bars: readonly Bar[]) => bars.map((b) => `${b.label} ${b.text}`).join('；');

function SignalsView({ t, signals }: { t: T; signals: SignalsData }) {
  const inFlight: Bar[] = signals.classes.map((c) => ({
    key: c.class,
    label: t(CLASS_WORDS[c.class]),
    value: c.inFlight,
    text: `${String(c.inFlight)} / ${String(c.cap)}`,
    max: c.cap,
  }));
  const maxShed = Math.max(1, ...signals.classes.map((c) => c.shed));
  const shed: Bar[] = signals.classes.map((c) => ({
    key: c.class,
    label: t(CLASS_WORDS[c.class]),
    value: c.shed,
    text: String(c.shed),
    max: maxShed,
  }));
  const { loop } = signals;
  const loopMax = Math.max(loop.limitMs, loop.p99Ms, loop.nowMs);
  const loopBars: Bar[] = [
    { key: 'loop', label: t('loopP99'), value: loop.p99Ms, text: `${String(loop.p99Ms)} ms`, max: loopMax },
    { key: 'loop', label: t('loopNow'), value: loop.nowMs, text: `${String(loop.nowMs)} ms`, max: loopMax },
    {
      key: 'limit',
      label: t('loopLimit'),
      value: loop.limitMs,
      text: `${String(loop.limitMs)} ms`,
      max: loopMax,
    },
  ];
  const hits = signals.rateLimitHits;
  const maxHits = Math.max(1, hits.failures, hits.codes, hits.tickets);
  const rate: Bar[] = (
    [
      ['failures', 'rateFailures'],
      ['codes', 'rateCodes'],
      ['tickets', 'rateTickets'],
    ] as const
  ).map(([k, word]) => ({
    key: 'rate',
    label: t(word),
    value: hits[k],
    text: String(hits[k]),
    max: maxHits,
  }));
  const state = (s: 'up' | 'down' | null) => (s === null ? t('notConfigured') : t(s));
  return (
    <div class="card table-wrap" data-testid="signals">
      <h2>{t('signals')}</h2>
      <p class="muted">{t('signalsHelp')}</p>
      <div class="charts">
        <BarChart
          title={t('inFlightChart')}
          label={t('inFlightLabel', { values: listed(inFlight) })}
          bars={inFlight}
          data={{ chart: 'in-flight' }}
        />
        <BarChart
          title={t('shedChart')}
          label={t('shedLabel', { values: listed(shed) })}
          bars={shed}
          data={{ chart: 'shed' }}
        />
        <BarChart
          title={t('loopChart')}
          label={t('loopLabel', { p99: loop.p99Ms, now: loop.nowMs, limit: loop.limitMs })}
          bars={loopBars}
          data={{ chart: 'loop' }}
        />
        <BarChart
          title={t('rateChart')}
          label={t('rateLabel', { values: listed(rate) })}
          bars={rate}
          data={{ chart: 'rate-limits' }}
        />
      </div>
      <table>
        <Head labels={[t('dependency'), t('state'), t('calls'), t('failures'), t('shortCircuited')]} />
        <tbody>
          <tr data-dependency="database">
            <td>{t('database')}</td>
            <td>{state(signals.database)}</td>
            <td>—</td>
            <td>—</td>
            <td>—</td>
          </tr>
          <tr data-dependency="redis">
            <td>{t('redis')}</td>
            <td>{state(signals.redis)}</td>
            <td>—</td>
            <td>—</td>
            <td>—</td>
          </tr>
          {signals.peers.map((p) => (
            <tr key={p.peer} data-dependency="peer">
              <td>
                {t('peer')} {p.peer}
              </td>
              <td>{p.up ? t('up') : t('peerCircuitOpen')}</td>
              <td>{p.calls}</td>
              <td>{p.failures}</td>
              <td>{p.shortCircuited}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
