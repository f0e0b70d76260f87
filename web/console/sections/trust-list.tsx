/** The trust list: the hub's current list summarised (version, validity, issuers, anchor), its keys and revoked keys. */
import type { TrustListAnswer } from '../../../src/console/sections/trust-list.routes.ts';
import { ErrorNotice } from '../../shared/ui.tsx';
import { time, type SectionProps } from '../section.ts';
import { useLoad } from '../use-load.ts';

export function TrustListStatus({ t, lang, token }: SectionProps) {
  const { data, error } = useLoad<TrustListAnswer>(token, '/api/v1/console/trust-list');
  const issuerName = (iss: string) => {
    const i = data?.issuers.find((x) => x.iss === iss);
    return i ? `${lang === 'zh' ? i.name : i.nameEn} (${iss})` : iss;
  };
  return (
    <div class="card table-wrap">
      <h2>{t('trust-list')}</h2>
      <ErrorNotice error={error} />
      {data && (
        <>
          <table>
            <tbody>
              {(
                [
                  ['version', data.version],
                  ['generation', data.generation],
                  ['revision', data.revision],
                  ['issuedAt', time(lang, data.issuedAt)],
                  ['expiresAt', time(lang, data.expiresAt)],
                  ['issuers', data.issuers.length],
                  ['keyCount', data.keys.length],
                  ['revokedKeys', data.revokedKeys.length],
                  ['anchor', data.anchorKid],
                ] as const
              ).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{t(k)}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('keys')}</h3>
          <table>
            <tbody>
              {data.keys.map((k) => (
                <tr key={k.kid}>
                  <td>
                    <code>{k.kid}</code>
                  </td>
                  <td>{issuerName(k.iss)}</td>
                  <td>
                    {time(lang, k.notBefore)} – {time(lang, k.notAfter)}
                  </td>
                </tr>
              ))}
              {data.revokedKeys.map((k) => (
                <tr key={k.kid}>
                  <td>
                    <code>{k.kid}</code>
                  </td>
                  <td>{issuerName(k.iss)}</td>
                  <td>
                    {t('revoked')} {time(lang, k.revokedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
