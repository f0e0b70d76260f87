/**
 * Area risk levels: set an area's level for a period (one area-risk batch through the feed ingestion), and the
 * entries in force or to come, each of which can be ended now or withdrawn, with a reason kept on record.
 */
import { useState } from 'preact/hooks';
import type { AreaRiskAnswer, AreaRiskSetAnswer } from '../../../src/console/sections/area-risk.routes.ts';
import { ApiError, call } from '../../shared/api.ts';
import { fromBeijingInput } from '../../shared/i18n.ts';
import { ErrorNotice, TextField } from '../../shared/ui.tsx';
import { ReasonDialog, type ReasonRequest } from '../reason-dialog.tsx';
import { time, type SectionProps } from '../section.ts';
import { Head } from '../table-head.tsx';
import { useLoad } from '../use-load.ts';

type Level = AreaRiskAnswer['level'];

export function AreaRisk({ t, lang, token }: SectionProps) {
  const { data, error, reload } = useLoad<{ areas: AreaRiskAnswer[] }>(token, '/api/v1/console/area-risk');
  const [areaCode, setAreaCode] = useState('');
  const [level, setLevel] = useState<Level>('high');
  const [validFrom, setValidFrom] = useState('');
  const [validTo, setValidTo] = useState('');
  const [authority, setAuthority] = useState('');
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [asking, setAsking] = useState<ReasonRequest | null>(null);
  // An empty or unreadable time is sent as it is: the hub names the field and says why.
  const iso = (local: string) => fromBeijingInput(local) ?? local;

  /** Ends an entry now, or withdraws it (ends it at its start), with a reason the operator gives. */
  const end = (a: AreaRiskAnswer, withdraw: boolean) => {
    const area = `${a.areaName} (${a.areaCode})`;
    setAsking({
      title: t(withdraw ? 'withdrawTitle' : 'endTitle', { area }),
      label: t('endReason'),
      confirm: t(withdraw ? 'confirmWithdraw' : 'confirmEnd'),
      maxLength: 200,
      onReason: (reason) => {
        setSaveError(null);
        call('POST', `/api/v1/console/area-risk/${encodeURIComponent(a.batchId)}/${String(a.line)}/end`, {
          token,
          body: { reason, ...(withdraw ? { endsAt: a.validFrom } : {}) },
        }).then(reload, (err: unknown) => {
          if (err instanceof ApiError) setSaveError(err);
        });
      },
    });
  };

  return (
    <>
      <form
        class="card"
        aria-labelledby="area-form"
        onSubmit={(e) => {
          e.preventDefault();
          setSaveError(null);
          setSaved(null);
          call<AreaRiskSetAnswer>('POST', '/api/v1/console/area-risk', {
            token,
            body: {
              areaCode: areaCode.trim(),
              level,
              validFrom: iso(validFrom),
              validTo: iso(validTo),
              ...(authority.trim() === '' ? {} : { authority: authority.trim() }),
            },
          }).then(
            (r) => {
              setSaved(r.batchId);
              reload();
            },
            (err: unknown) => {
              if (err instanceof ApiError) setSaveError(err);
            },
          );
        }}
      >
        <h2 id="area-form">{t('area-risk')}</h2>
        <ErrorNotice error={saveError} />
        {saved !== null && (
          <div class="notice info" role="status">
            {t('saved', { id: saved })}
          </div>
        )}
        <div class="row">
          <div>
            <TextField
              id="area-code"
              label={t('areaCode')}
              inputMode="numeric"
              maxLength={6}
              value={areaCode}
              onValue={setAreaCode}
            />
          </div>
          <div>
            <label for="area-level">{t('level')}</label>
            <select
              id="area-level"
              value={level}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setLevel(v === 'low' || v === 'medium' ? v : 'high');
              }}
            >
              <option value="low">{t('low')}</option>
              <option value="medium">{t('medium')}</option>
              <option value="high">{t('high')}</option>
            </select>
          </div>
          <div>
            <TextField
              id="area-from"
              label={t('validFrom')}
              type="datetime-local"
              value={validFrom}
              onValue={setValidFrom}
            />
          </div>
          <div>
            <TextField
              id="area-to"
              label={t('validTo')}
              type="datetime-local"
              value={validTo}
              onValue={setValidTo}
            />
          </div>
          <div>
            <TextField id="area-authority" label={t('authority')} value={authority} onValue={setAuthority} />
          </div>
        </div>
        <button class="primary" type="submit">
          {t('save')}
        </button>
      </form>
      <div class="card table-wrap">
        <ErrorNotice error={error} />
        <table>
          <Head
            labels={[
              t('areaName'),
              t('level'),
              t('validFrom'),
              t('validTo'),
              t('authority'),
              t('batch'),
              t('change'),
            ]}
          />
          <tbody>
            {data?.areas.map((a) => (
              <tr key={`${a.batchId}-${a.areaCode}-${a.validFrom}`}>
                <td>
                  {a.areaName} ({a.areaCode})
                </td>
                <td>
                  {t(a.level)} · {a.inForce ? t('inForce') : t('scheduled')}
                </td>
                <td>{time(lang, a.validFrom)}</td>
                <td>{time(lang, a.validTo)}</td>
                <td>{a.authority}</td>
                <td>{a.batchId}</td>
                <td>
                  {a.ended && (
                    <div class="muted">{t('endedBy', { by: a.ended.by, reason: a.ended.reason })}</div>
                  )}
                  {a.inForce && (
                    <button
                      class="secondary-button"
                      type="button"
                      onClick={() => {
                        end(a, false);
                      }}
                    >
                      {t('endNow')}
                    </button>
                  )}{' '}
                  <button
                    class="secondary-button"
                    type="button"
                    onClick={() => {
                      end(a, true);
                    }}
                  >
                    {t('withdraw')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ReasonDialog
        id="end-dialog"
        t={t}
        request={asking}
        onClose={() => {
          setAsking(null);
        }}
      />
    </>
  );
}
