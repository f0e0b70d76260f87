/** Non-recognition reports: every province's (operator) or the province's own, each answered in place. */
import { useState } from 'preact/hooks';
import type { ReportAnswer } from '../../../src/console/sections/reports.routes.ts';
import { ApiError, call } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/ui.tsx';
import { time, type SectionProps } from '../section.ts';
import { useLoad } from '../use-load.ts';

export function Reports({ t, lang, token }: SectionProps) {
  const { data, error, reload } = useLoad<{ reports: ReportAnswer[] }>(token, '/api/v1/console/reports');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [answerError, setAnswerError] = useState<ApiError | null>(null);
  return (
    <div class="card table-wrap">
      <h2>{t('reports')}</h2>
      <ErrorNotice error={error ?? answerError} />
      {data?.reports.length === 0 && <p>{t('none')}</p>}
      <table>
        <tbody>
          {data?.reports.map((r) => (
            <tr key={r.ticketId}>
              <td>
                {r.ticketId} · {r.status}
              </td>
              <td>
                {r.region} · {time(lang, r.at)} · {r.checkpointId} · {t('issuer')} {r.issuer}
                <div class="muted">{r.description}</div>
              </td>
              <td>
                {r.answer ?? (
                  <>
                    <label for={`answer-${r.ticketId}`} class="sr-only">
                      {t('answer')}
                    </label>
                    <input
                      id={`answer-${r.ticketId}`}
                      value={answers[r.ticketId] ?? ''}
                      onInput={(e) => {
                        setAnswers({ ...answers, [r.ticketId]: e.currentTarget.value });
                      }}
                    />
                    <button
                      class="secondary-button"
                      type="button"
                      onClick={() => {
                        call('POST', `/api/v1/console/reports/${encodeURIComponent(r.ticketId)}/answer`, {
                          token,
                          body: { answer: answers[r.ticketId] ?? '' },
                        }).then(reload, (e: unknown) => {
                          if (e instanceof ApiError) setAnswerError(e);
                        });
                      }}
                    >
                      {t('send')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
