/**
 * Status entries (operators): record a holder's case status — a kind from the hub's table — for a holder named by
 * their document, with the reason; the entries, newest first (or only those in force), each of which can be ended
 * through the reason dialog. The hub names the field at fault; holders are shown masked.
 */
import { useState } from 'preact/hooks';
import type {
  StatusEntryAnswer,
  StatusEntryKindAnswer,
} from '../../../src/console/sections/status-entries.routes.ts';
import { ApiError, call } from '../../shared/api.ts';
import { fromBeijingInput } from '../../shared/i18n.ts';
import { byField, ErrorNotice, TextField } from '../../shared/ui.tsx';
import { ReasonDialog, type ReasonRequest } from '../reason-dialog.tsx';
import { time, type SectionProps } from '../section.ts';
import type { Key } from '../strings.ts';
import { Head } from '../table-head.tsx';
import { useLoad } from '../use-load.ts';

const CASE_KEY: Record<NonNullable<StatusEntryAnswer['caseStatus']>, Key> = {
  confirmed: 'confirmed',
  suspected: 'suspected',
  asymptomatic: 'asymptomatic',
  close_contact: 'closeContact',
  cleared: 'cleared',
};

export function StatusEntries({ t, lang, token }: SectionProps) {
  const [activeOnly, setActiveOnly] = useState(true);
  const { data, error, reload } = useLoad<{ entries: StatusEntryAnswer[] }>(
    token,
    `/api/v1/console/status-entries?active=${String(activeOnly)}`,
  );
  const kinds = useLoad<{ kinds: StatusEntryKindAnswer[] }>(token, '/api/v1/console/status-entries/kinds');
  const [documentType, setDocumentType] = useState<'id_card' | 'passport'>('id_card');
  const [documentNumber, setDocumentNumber] = useState('');
  const [nationality, setNationality] = useState('');
  const [kind, setKind] = useState('');
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [asking, setAsking] = useState<ReasonRequest | null>(null);
  const problems = byField(lang, saveError?.details ?? []);
  const chosen = kind || (kinds.data?.kinds[0]?.code ?? '');
  const text = (k: { text: string; textEn: string }) => (lang === 'zh' ? k.text : k.textEn);

  const end = (e: StatusEntryAnswer) => {
    setAsking({
      title: t('endEntryTitle', { holder: `${e.holder.name} ${e.holder.documentNumber}`, kind: text(e) }),
      label: t('endReason'),
      confirm: t('confirmEnd'),
      maxLength: 200,
      onReason: (why) => {
        setSaveError(null);
        call('POST', `/api/v1/console/status-entries/${encodeURIComponent(e.entryId)}/end`, {
          token,
          body: { reason: why },
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
        aria-labelledby="entry-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSaveError(null);
          setSaved(null);
          call<StatusEntryAnswer>('POST', '/api/v1/console/status-entries', {
            token,
            body: {
              documentType,
              documentNumber: documentNumber.trim(),
              ...(nationality.trim() === '' ? {} : { nationality: nationality.trim().toUpperCase() }),
              kind: chosen,
              // An unreadable time is sent as it is: the hub names the field and says why.
              ...(until === '' ? {} : { until: fromBeijingInput(until) ?? until }),
              reason,
            },
          }).then(
            (r) => {
              setSaved(r.entryId);
              setReason('');
              reload();
            },
            (err: unknown) => {
              if (err instanceof ApiError) setSaveError(err);
            },
          );
        }}
      >
        <h2 id="entry-form">{t('status-entries')}</h2>
        <p class="muted">{t('entriesHelp')}</p>
        <ErrorNotice error={saveError ?? kinds.error} />
        {saved !== null && (
          <div class="notice info" role="status">
            {t('entrySaved', { id: saved })}
          </div>
        )}
        <div class="row">
          <div>
            <label for="entry-document-type">{t('documentType')}</label>
            <select
              id="entry-document-type"
              value={documentType}
              onChange={(e) => {
                setDocumentType(e.currentTarget.value === 'passport' ? 'passport' : 'id_card');
              }}
            >
              <option value="id_card">{t('idCard')}</option>
              <option value="passport">{t('passport')}</option>
            </select>
          </div>
          <div>
            <TextField
              id="entry-document-number"
              label={t('documentNumber')}
              maxLength={32}
              autocomplete="off"
              value={documentNumber}
              problems={problems.documentNumber ?? []}
              onValue={setDocumentNumber}
            />
          </div>
          <div>
            <TextField
              id="entry-nationality"
              label={t('nationality')}
              maxLength={3}
              value={nationality}
              problems={problems.nationality ?? []}
              onValue={setNationality}
            />
          </div>
          <div>
            <label for="entry-kind">{t('entryKind')}</label>
            <select
              id="entry-kind"
              value={chosen}
              aria-invalid={problems.kind !== undefined}
              onChange={(e) => {
                setKind(e.currentTarget.value);
              }}
            >
              {kinds.data?.kinds.map((k) => (
                <option key={k.code} value={k.code}>
                  {text(k)} · {t(k.colour === 'red' ? 'red' : 'yellow')}
                </option>
              ))}
            </select>
          </div>
          <div>
            <TextField
              id="entry-until"
              label={t('until')}
              type="datetime-local"
              value={until}
              problems={problems.until ?? []}
              onValue={setUntil}
            />
          </div>
        </div>
        <TextField
          id="entry-reason"
          label={t('entryReason')}
          maxLength={200}
          value={reason}
          required
          problems={problems.reason ?? []}
          onValue={setReason}
        />
        <button class="primary" type="submit">
          {t('addEntry')}
        </button>
      </form>
      <div class="card table-wrap">
        <ErrorNotice error={error} />
        <label>
          <input
            type="checkbox"
            checked={activeOnly}
            onChange={(e) => {
              setActiveOnly(e.currentTarget.checked);
            }}
          />{' '}
          {t('activeOnly')}
        </label>
        {data?.entries.length === 0 && <p>{t('none')}</p>}
        <table>
          <Head
            labels={[
              t('holder'),
              t('entryKind'),
              t('caseStatus'),
              t('validFrom'),
              t('until'),
              t('reason'),
              t('change'),
            ]}
          />
          <tbody>
            {data?.entries.map((e) => (
              <tr key={e.entryId}>
                <td>
                  {e.holder.name} · {e.holder.documentNumber}
                  <div class="muted">{e.entryId}</div>
                </td>
                <td>
                  {text(e)} · {t(e.colour === 'red' ? 'red' : e.colour === 'yellow' ? 'yellow' : 'green')}
                </td>
                <td>{e.caseStatus === null ? t('noCase') : t(CASE_KEY[e.caseStatus])}</td>
                <td>{time(lang, e.validFrom)}</td>
                <td>{time(lang, e.ended?.at ?? e.validUntil)}</td>
                <td>
                  {e.createdBy ?? '—'}：{e.reason ?? '—'}
                </td>
                <td>
                  {e.ended && (
                    <div class="muted">{t('entryEnded', { by: e.ended.by, reason: e.ended.reason })}</div>
                  )}
                  {e.active ? (
                    <button
                      class="secondary-button"
                      type="button"
                      onClick={() => {
                        end(e);
                      }}
                    >
                      {t('endEntry')}
                    </button>
                  ) : (
                    !e.ended && <span class="muted">{t('expired')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ReasonDialog
        id="end-entry-dialog"
        t={t}
        request={asking}
        onClose={() => {
          setAsking(null);
        }}
      />
    </>
  );
}
