/**
 * Provinces and keys: every provincial unit with its enrolment, node, signing keys and last status push (a
 * provincial authority sees its own); an operator revokes a key, with a reason kept on record.
 */
import { useState } from 'preact/hooks';
import type { ProvinceAnswer } from '../../../src/console/sections/provinces.routes.ts';
import { ApiError, call } from '../../shared/api.ts';
import { ErrorNotice } from '../../shared/ui.tsx';
import { ReasonDialog, type ReasonRequest } from '../reason-dialog.tsx';
import { time, type SectionProps } from '../section.ts';
import { Head } from '../table-head.tsx';
import { useLoad } from '../use-load.ts';

export function Provinces({ t, lang, token, me }: SectionProps) {
  const { data, error, reload } = useLoad<{ provinces: ProvinceAnswer[] }>(
    token,
    '/api/v1/console/provinces',
  );
  const [revokeError, setRevokeError] = useState<ApiError | null>(null);
  const [asking, setAsking] = useState<ReasonRequest | null>(null);

  /** Asks for the reason, then revokes the key. */
  const revoke = (p: ProvinceAnswer, kid: string) => {
    setAsking({
      title: t('revokeTitle', { province: lang === 'zh' ? p.name : p.nameEn, kid }),
      label: t('revokeReason'),
      confirm: t('confirmRevoke'),
      maxLength: 500,
      onReason: (reason) => {
        call('POST', `/api/v1/console/provinces/${p.code}/keys/${encodeURIComponent(kid)}/revoke`, {
          token,
          body: { reason },
        }).then(reload, (e: unknown) => {
          if (e instanceof ApiError) setRevokeError(e);
        });
      },
    });
  };

  return (
    <div class="card table-wrap">
      <h2>{t('provinces')}</h2>
      <ErrorNotice error={error ?? revokeError} />
      <table>
        <Head labels={[t('province'), t('node'), t('keys'), t('lastPush')]} />
        <tbody>
          {data?.provinces.map((p) => (
            <tr key={p.code}>
              <td>
                {lang === 'zh' ? p.name : p.nameEn} ({p.code}) ·{' '}
                {p.enrolled ? t('enrolled') : t('notEnrolled')}
              </td>
              <td>{p.nodeUrl ?? '—'}</td>
              <td>
                {p.keys.map((k) => (
                  <div key={k.kid}>
                    <code>{k.kid}</code> {time(lang, k.notBefore)} – {time(lang, k.notAfter)}{' '}
                    {k.revoked
                      ? `${t('revoked')} ${k.revokedReason ?? ''}`
                      : me.role === 'operator' && (
                          <button
                            class="secondary-button"
                            type="button"
                            onClick={() => {
                              revoke(p, k.kid);
                            }}
                          >
                            {t('revoke')}
                          </button>
                        )}
                  </div>
                ))}
              </td>
              <td>{time(lang, p.lastStatusPush)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ReasonDialog
        id="revoke-dialog"
        t={t}
        request={asking}
        onClose={() => {
          setAsking(null);
        }}
      />
    </div>
  );
}
