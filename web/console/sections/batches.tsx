/**
 * Feed batches: published batches, newest first (a department its own source's, a province its own), and a batch's
 * quarantined records with line and reason, personal data masked by the hub.
 */
import { useState } from 'preact/hooks';
import type { BatchAnswer, QuarantineAnswer } from '../../../src/console/sections/batches.routes.ts';
import { ApiError, call } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/ui.tsx';
import { time, type SectionProps } from '../section.ts';
import { Head } from '../table-head.tsx';
import { useLoad } from '../use-load.ts';

export function Batches({ t, lang, token }: SectionProps) {
  const { data, error } = useLoad<{ batches: BatchAnswer[] }>(token, '/api/v1/console/batches?limit=50');
  /** The batch whose quarantined records are shown, by `source/batchId`. */
  const [open, setOpen] = useState<{ key: string; records: QuarantineAnswer['records'] } | null>(null);
  const [qError, setQError] = useState<ApiError | null>(null);
  return (
    <div class="card table-wrap">
      <h2>{t('batches')}</h2>
      <ErrorNotice error={error ?? qError} />
      {data?.batches.length === 0 && <p>{t('none')}</p>}
      <table>
        <Head
          labels={[t('source'), t('batch'), t('total'), t('accepted'), t('quarantined'), t('receivedAt')]}
        />
        <tbody>
          {data?.batches.map((b) => {
            const key = `${b.source}/${b.batchId}`;
            return (
              <>
                <tr key={key}>
                  <td>{b.source}</td>
                  <td>
                    {b.batchId}
                    {b.province !== null && <span class="muted"> · {b.province}</span>}
                  </td>
                  <td>{b.total}</td>
                  <td>{b.accepted}</td>
                  <td>
                    {b.quarantined}{' '}
                    {b.quarantined > 0 && (
                      <button
                        class="secondary-button"
                        type="button"
                        onClick={() => {
                          call<QuarantineAnswer>(
                            'GET',
                            `/api/v1/console/batches/${encodeURIComponent(b.source)}/${encodeURIComponent(b.batchId)}/quarantine`,
                            { token },
                          ).then(
                            (r) => {
                              setOpen({ key, records: r.records });
                            },
                            (e: unknown) => {
                              if (e instanceof ApiError) setQError(e);
                            },
                          );
                        }}
                      >
                        {t('showQuarantine')}
                      </button>
                    )}
                  </td>
                  <td>{time(lang, b.receivedAt)}</td>
                </tr>
                {open?.key === key && (
                  <tr key={`${key}-q`}>
                    <td colSpan={6}>
                      <table data-testid="quarantine">
                        <Head labels={[t('line'), t('code'), t('reason'), t('record')]} />
                        <tbody>
                          {open.records.map((q) => (
                            <tr key={q.line}>
                              <td>{q.line}</td>
                              <td>{q.code}</td>
                              <td>
                                {q.field !== '' && <code>{q.field}</code>}{' '}
                                {lang === 'zh' ? q.reason : q.reasonEn}
                              </td>
                              <td>
                                <code style={{ wordBreak: 'break-all' }}>{q.record}</code>
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </td>
                  </tr>
                )}
              </>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
