/**
 * The operations console: operators (area risk levels, rule sets, provinces and keys, the trust list, reports,
 * feed batches, capacity), provincial authorities and data departments (their own batches, quarantined records and
 * reports). Each role signs in with its own credential (kept for this tab only) and sees only the sections the hub
 * lets it see (`GET /api/v1/console/me`); the hub enforces the same on every call.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { CONSOLE_SECTIONS, type ConsoleSection } from '../../src/console/console-access.ts';
import '../shared/base.css';
import { ApiError, call } from '../shared/api.ts';
import {
  formatTime,
  fromBeijingInput,
  initialLang,
  LangContext,
  saveLang,
  translator,
  type Lang,
} from '../shared/i18n.ts';
import { ErrorNotice, HeaderBar, TextField } from '../shared/ui.tsx';
import { STRINGS, type Key } from './strings.ts';

type T = (key: Key, vars?: Readonly<Record<string, string | number>>) => string;
type Section = ConsoleSection;
const SECTIONS = CONSOLE_SECTIONS;
const CREDENTIAL = 'ymt.console.credential';

interface Me {
  readonly role: 'operator' | 'province' | 'department';
  readonly name: string;
  readonly province?: string;
  readonly source?: string;
  readonly may: readonly string[];
}

interface Props {
  readonly t: T;
  readonly lang: Lang;
  readonly token: string;
  readonly me: Me;
}

interface Loaded<V> {
  readonly data: V | null;
  readonly error: ApiError | null;
  readonly reload: () => void;
}

/** Loads `path` with the credential; `reload` fetches again. */
function useLoad<V>(token: string, path: string): Loaded<V> {
  const [data, setData] = useState<V | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const reload = () => {
    call<V>('GET', path, { token }).then(
      (v) => {
        setData(v);
        setError(null);
      },
      (e: unknown) => {
        if (e instanceof ApiError) setError(e);
      },
    );
  };
  useEffect(reload, [path]);
  return { data, error, reload };
}

/** A table's header row. */
function Head(props: { labels: readonly string[] }) {
  return (
    <thead>
      <tr>
        {props.labels.map((label) => (
          <th key={label}>{label}</th>
        ))}
      </tr>
    </thead>
  );
}

const time = (lang: Lang, iso: string | null | undefined) => (iso ? formatTime(lang, iso) : '—');

function AreaRisk({ t, lang, token }: Props) {
  interface Area {
    areaCode: string;
    areaName: string;
    level: 'low' | 'medium' | 'high';
    validFrom: string;
    validTo: string;
    authority: string;
    batchId: string;
    line: number;
    inForce: boolean;
    ended: { by: string; reason: string } | null;
  }
  const { data, error, reload } = useLoad<{ areas: Area[] }>(token, '/api/v1/console/area-risk');
  /** Ends an entry now, or withdraws it (ends it at its start), with a reason the operator gives. */
  const end = (a: Area, withdraw: boolean) => {
    const reason = prompt(t('endReason'));
    if (reason === null || reason.trim() === '') return;
    setSaveError(null);
    call('POST', `/api/v1/console/area-risk/${encodeURIComponent(a.batchId)}/${String(a.line)}/end`, {
      token,
      body: { reason: reason.trim(), ...(withdraw ? { endsAt: a.validFrom } : {}) },
    }).then(reload, (err: unknown) => {
      if (err instanceof ApiError) setSaveError(err);
    });
  };
  const [areaCode, setAreaCode] = useState('');
  const [level, setLevel] = useState<'low' | 'medium' | 'high'>('high');
  const [validFrom, setValidFrom] = useState('');
  const [validTo, setValidTo] = useState('');
  const [authority, setAuthority] = useState('');
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // An empty or unreadable time is sent as it is: the hub names the field and says why.
  const iso = (local: string) => fromBeijingInput(local) ?? local;
  return (
    <>
      <form
        class="card"
        aria-labelledby="area-form"
        onSubmit={(e) => {
          e.preventDefault();
          setSaveError(null);
          setSaved(null);
          call<{ batchId: string }>('POST', '/api/v1/console/area-risk', {
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
    </>
  );
}

/**
 * One kind of rule set: acceptance rules (checkpoints decide with them; each has a province) or status rules (the
 * baseline and its scheduled versions; operators only), each row saying whether it is the one in force.
 */
function RuleSetList(props: Props & { kind: 'acceptance' | 'status' }) {
  const { t, lang, token, kind } = props;
  interface Row {
    id: string;
    version: string;
    province?: string | null;
    validFrom: string;
    publishedAt: string | null;
    publishedBy?: string | null;
    inForce: boolean;
    shipped: boolean;
  }
  const path = kind === 'status' ? '/api/v1/console/status-rule-sets' : '/api/v1/console/rule-sets';
  const { data, error } = useLoad<{ ruleSets: Row[] }>(token, path);
  return (
    <div class="card table-wrap">
      <h2>{t(kind === 'status' ? 'statusRules' : 'acceptanceRules')}</h2>
      <ErrorNotice error={error} />
      <table>
        <tbody>
          {data?.ruleSets.map((r) => (
            <tr key={`${r.id}@${r.version}`}>
              <td>
                {r.id}@{r.version}
              </td>
              {kind === 'acceptance' && <td>{r.province ?? t('national')}</td>}
              <td>
                {t('validFrom')} {time(lang, r.validFrom)}
              </td>
              <td>{r.inForce ? t('inForce') : t('scheduled')}</td>
              <td>
                {r.shipped ? t('shipped') : t('published', { time: time(lang, r.publishedAt) })}
                {r.publishedBy ? ` · ${r.publishedBy}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RuleSets(props: Props) {
  const { t, lang, token, me } = props;
  const [kind, setKind] = useState<'acceptance' | 'status'>('acceptance');
  // Bumped after a publication: the lists load again.
  const [generation, setGeneration] = useState(0);
  const base = kind === 'status' ? '/api/v1/console/status-rule-sets' : '/api/v1/console/rule-sets';
  const [doc, setDoc] = useState('');
  const [result, setResult] = useState<{ ok: boolean; problems: { path: string; message: string }[] } | null>(
    null,
  );
  const [callError, setCallError] = useState<ApiError | null>(null);
  const parsed = (): unknown => {
    try {
      return JSON.parse(doc);
    } catch (e) {
      setResult({ ok: false, problems: [{ path: '', message: e instanceof Error ? e.message : String(e) }] });
      return undefined;
    }
  };
  const send = (path: string) => {
    const document = parsed();
    if (document === undefined) return;
    setCallError(null);
    call<{ ok?: boolean; problems?: { path: string; message: string }[] }>('POST', path, {
      token,
      body: { document },
    }).then(
      (r) => {
        setResult({ ok: r.ok ?? true, problems: r.problems ?? [] });
        setGeneration(generation + 1);
      },
      (e: unknown) => {
        if (!(e instanceof ApiError)) return;
        setCallError(e);
        setResult({
          ok: false,
          problems: e.details.map((d) => ({
            path: d.field,
            message: lang === 'zh' ? d.message : d.messageEn,
          })),
        });
      },
    );
  };
  return (
    <>
      <RuleSetList key={`a${String(generation)}`} {...props} kind="acceptance" />
      {me.role === 'operator' && <RuleSetList key={`s${String(generation)}`} {...props} kind="status" />}
      <div class="card">
        {me.role === 'operator' && (
          <>
            <label for="rule-kind">{t('ruleKind')}</label>
            <select
              id="rule-kind"
              value={kind}
              onChange={(e) => {
                setKind(e.currentTarget.value === 'status' ? 'status' : 'acceptance');
                setResult(null);
              }}
            >
              <option value="acceptance">{t('acceptanceRules')}</option>
              <option value="status">{t('statusRules')}</option>
            </select>
          </>
        )}
        <TextField id="rule-doc" label={t('ruleDocument')} rows={10} monospace value={doc} onValue={setDoc} />
        <ErrorNotice error={callError} />
        {result && (
          <div class={`notice ${result.ok ? 'info' : 'error'}`} role="status" data-testid="rule-result">
            {result.ok ? t('valid') : t('problems', { n: result.problems.length })}
            <ul>
              {result.problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  <code>{p.path}</code> {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div class="row">
          <button
            class="secondary-button"
            type="button"
            onClick={() => {
              send(`${base}/validate`);
            }}
          >
            {t('validate')}
          </button>
          <button
            class="secondary-button"
            type="button"
            onClick={() => {
              send(base);
            }}
          >
            {t('publish')}
          </button>
        </div>
      </div>
    </>
  );
}

function Provinces({ t, lang, token, me }: Props) {
  interface Row {
    code: string;
    name: string;
    nameEn: string;
    enrolled: boolean;
    nodeUrl: string | null;
    keys: { kid: string; notBefore: string; notAfter: string; revoked: boolean; revokedReason?: string }[];
    lastStatusPush: string | null;
  }
  const { data, error, reload } = useLoad<{ provinces: Row[] }>(token, '/api/v1/console/provinces');
  const [revokeError, setRevokeError] = useState<ApiError | null>(null);
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
                              const reason = prompt(t('revokeReason'));
                              if (reason === null || reason.trim() === '') return;
                              call(
                                'POST',
                                `/api/v1/console/provinces/${p.code}/keys/${encodeURIComponent(k.kid)}/revoke`,
                                {
                                  token,
                                  body: { reason: reason.trim() },
                                },
                              ).then(reload, (e: unknown) => {
                                if (e instanceof ApiError) setRevokeError(e);
                              });
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
    </div>
  );
}

function TrustListStatus({ t, lang, token }: Props) {
  interface Status {
    version: number;
    generation: number;
    revision: number;
    issuedAt: string;
    expiresAt: string;
    issuers: { iss: string; name: string; nameEn: string }[];
    keys: { kid: string; iss: string; notBefore: string; notAfter?: string }[];
    revokedKeys: { kid: string; iss: string; revokedAt: string }[];
    anchorKid: string;
  }
  const { data, error } = useLoad<Status>(token, '/api/v1/console/trust-list');
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

function Reports({ t, lang, token }: Props) {
  interface Report {
    ticketId: string;
    status: string;
    region: string;
    province: string;
    at: string;
    checkpointId: string;
    issuer: string;
    description?: string;
    answer: string | null;
  }
  const { data, error, reload } = useLoad<{ reports: Report[] }>(token, '/api/v1/console/reports');
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

function Batches({ t, lang, token }: Props) {
  interface Batch {
    source: string;
    batchId: string;
    province: string | null;
    total: number;
    accepted: number;
    quarantined: number;
    receivedAt: string;
  }
  interface Quarantined {
    line: number;
    code: string;
    field: string;
    reason: string;
    reasonEn: string;
    record: string;
  }
  const { data, error } = useLoad<{ batches: Batch[] }>(token, '/api/v1/console/batches?limit=50');
  const [open, setOpen] = useState<{ key: string; records: Quarantined[] } | null>(null);
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
                          call<{ records: Quarantined[] }>(
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

function Capacity({ t, lang, token }: Props) {
  interface Minute {
    minute: string;
    requests: number;
    status: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
    busy: number;
    p50Ms: number | null;
    p99Ms: number | null;
  }
  interface CapacityData {
    requests: { inFlight: number; limit: number; minutes: Minute[] } | null;
    feedLag: { source: string; lastBatchAt: string | null; lagSeconds: number | null }[];
  }
  const { data, error, reload } = useLoad<CapacityData>(token, '/api/v1/console/capacity');
  return (
    <>
      <div class="card table-wrap">
        <h2>{t('capacity')}</h2>
        <ErrorNotice error={error} />
        <button class="secondary-button" type="button" onClick={reload}>
          {t('refresh')}
        </button>
        {data?.requests && (
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

const VIEWS: Record<Section, (p: Props) => preact.JSX.Element> = {
  'area-risk': AreaRisk,
  'rule-sets': RuleSets,
  provinces: Provinces,
  'trust-list': TrustListStatus,
  reports: Reports,
  batches: Batches,
  capacity: Capacity,
};

function SignIn(props: { t: T; onSignedIn: (token: string, me: Me) => void }) {
  const { t } = props;
  const [credential, setCredential] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        const token = credential.trim();
        call<Me>('GET', '/api/v1/console/me', { token }).then(
          (me) => {
            props.onSignedIn(token, me);
          },
          (err: unknown) => {
            if (err instanceof ApiError) setError(err);
          },
        );
      }}
    >
      <h2>{t('signInTitle')}</h2>
      <p class="muted">{t('signInHelp')}</p>
      <ErrorNotice error={error} />
      <TextField
        id="credential"
        label={t('credential')}
        type="password"
        autocomplete="off"
        value={credential}
        onValue={setCredential}
      />
      <button class="primary" type="submit">
        {t('signIn')}
      </button>
    </form>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t: T = translator(STRINGS[lang]);
  const [token, setToken] = useState<string | null>(sessionStorage.getItem(CREDENTIAL));
  const [me, setMe] = useState<Me | null>(null);
  const [section, setSection] = useState<Section | null>(null);

  useEffect(() => {
    saveLang(lang);
    document.title = t('title');
  }, [lang]);
  useEffect(() => {
    if (token === null || me) return;
    call<Me>('GET', '/api/v1/console/me', { token }).then(setMe, () => {
      sessionStorage.removeItem(CREDENTIAL);
      setToken(null);
    });
  }, [token]);

  const sections = me ? SECTIONS.filter((s) => me.may.includes(s)) : [];
  const current = section !== null && sections.includes(section) ? section : sections[0];
  const View = current === undefined ? null : VIEWS[current];
  const role = !me
    ? ''
    : me.role === 'operator'
      ? t('roleOperator')
      : me.role === 'province'
        ? t('roleProvince', { province: me.province ?? '' })
        : t('roleDepartment', { source: me.source ?? '' });
  return (
    <LangContext.Provider value={{ lang, setLang }}>
      <HeaderBar title={t('title')}>
        {me && (
          <>
            <span data-testid="role">
              {role} · {me.name}
            </span>
            <button
              type="button"
              onClick={() => {
                sessionStorage.removeItem(CREDENTIAL);
                setToken(null);
                setMe(null);
              }}
            >
              {t('signOut')}
            </button>
          </>
        )}
      </HeaderBar>
      <main class="wide">
        {!me || token === null ? (
          token === null ? (
            <SignIn
              t={t}
              onSignedIn={(tok, m) => {
                sessionStorage.setItem(CREDENTIAL, tok);
                setToken(tok);
                setMe(m);
              }}
            />
          ) : (
            <p>{t('loading')}</p>
          )
        ) : (
          <>
            <nav class="row" aria-label={t('title')} style={{ marginBottom: '1rem' }}>
              {sections.map((s) => (
                <button
                  key={s}
                  type="button"
                  class="secondary-button"
                  aria-current={s === current ? 'page' : undefined}
                  style={s === current ? { background: 'var(--accent)', color: '#fff' } : undefined}
                  onClick={() => {
                    setSection(s);
                  }}
                >
                  {t(s)}
                </button>
              ))}
            </nav>
            {View && <View t={t} lang={lang} token={token} me={me} />}
          </>
        )}
      </main>
    </LangContext.Provider>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
